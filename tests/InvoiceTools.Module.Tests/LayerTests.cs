using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// How Core's folders depend on each other, read from the source (using directives and namespace-qualified names).
/// The target (issue 17) is a one-way order: Model and Errors, Http, Paging, Providers, Connections, Engine,
/// Checkpoints. Until it is reached, the cycle that exists is written down here, and a test fails on any new one.
/// </summary>
public sealed class LayerTests
{
    private static readonly string[] Namespaces = { "Checkpoints", "Connections", "Engine", "Http", "Paging", "Providers", "Runs", "Shell", "Sandbox" };

    /// <summary>The folders that import each other today; shrink it as the redesign removes edges, never grow it.</summary>
    private static readonly string[] KnownCycle = { "Connections", "Engine", "Providers" };

    private static Dictionary<string, HashSet<string>> Edges()
    {
        var core = Path.Combine(ModuleLayout.RepoRoot, "src", "InvoiceTools.Core");
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var folder in Directory.GetDirectories(core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")))
        {
            var targets = edges[folder!] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(Path.Combine(core, folder!), "*.cs", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                foreach (var name in Namespaces.Where(n => n != folder))
                {
                    if (Regex.IsMatch(text, @"^using InvoiceTools\." + name + @";", RegexOptions.Multiline) ||
                        Regex.IsMatch(text, @"(?<![\w.])(InvoiceTools\.)?" + name + @"\.[A-Z]\w*\b(?!\s*\()") && !Regex.IsMatch(text, @"namespace InvoiceTools\." + name + ";"))
                    {
                        targets.Add(name);
                    }
                }
            }
        }

        return edges;
    }

    [Fact]
    public void Cores_folders_have_no_cycle_but_the_known_one()
    {
        var edges = Edges();
        var cycles = StronglyConnected(edges).Where(c => c.Count > 1).Select(c => string.Join(", ", c.OrderBy(n => n, StringComparer.Ordinal))).ToList();

        Assert.Equal(new[] { string.Join(", ", KnownCycle) }, cycles);

        // The model and the errors are the bottom layer: every other folder may use them, they use none.
        Assert.Empty(edges["Model"]);
        Assert.Empty(edges["Errors"]);
    }

    [Fact]
    public void Core_does_not_reach_the_emulator()
    {
        // A -Sandbox connection asks for an ISandboxServer; the module registers the emulator (EmulatorServer), so
        // Core neither names the emulator's namespace nor references its project.
        Assert.Empty(Edges().Where(e => e.Value.Contains("Sandbox")).Select(e => e.Key));
        var project = File.ReadAllText(Path.Combine(ModuleLayout.RepoRoot, "src", "InvoiceTools.Core", "InvoiceTools.Core.csproj"));
        Assert.DoesNotContain("InvoiceTools.Sandbox", project, StringComparison.Ordinal);
    }

    /// <summary>Tarjan's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> edges)
    {
        var index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();

        void Visit(string node)
        {
            indices[node] = low[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges.TryGetValue(node, out var targets) ? targets : new HashSet<string>())
            {
                if (!indices.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == indices[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                result.Add(component);
            }
        }

        foreach (var node in edges.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }
}
