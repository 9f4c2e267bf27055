using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace InvoiceTools.ModuleTests;

/// <summary>
/// How Core's folders depend on each other, read from the source (using directives and namespace-qualified names).
/// They follow a one-way order (issue 17), bottom first: Model and Errors, Http, Paging, Requests, Providers,
/// Connections, Engine, Checkpoints, then Runs and Shell on top. A folder may use only folders below it, so the graph
/// has no cycle; a test fails on any edge up the order and on any cycle, naming the folders and the files.
/// </summary>
public sealed class LayerTests
{
    private static readonly string[] Namespaces = { "Checkpoints", "Connections", "Engine", "Http", "Paging", "Providers", "Requests", "Runs", "Shell", "Sandbox" };

    /// <summary>Core's folders, bottom first. Model and Errors are the namespace InvoiceTools, so no folder names them.</summary>
    private static readonly string[] Order = { "Model", "Errors", "Http", "Paging", "Requests", "Providers", "Connections", "Engine", "Checkpoints", "Runs", "Shell" };

    /// <summary>Folder -> folder it uses -> the files (relative to the folder) that use it.</summary>
    private static Dictionary<string, Dictionary<string, SortedSet<string>>> Edges()
    {
        var core = Path.Combine(ModuleLayout.RepoRoot, "src", "InvoiceTools.Core");
        var edges = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var folder in Directory.GetDirectories(core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")))
        {
            var targets = edges[folder!] = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            var root = Path.Combine(core, folder!);
            foreach (var file in Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                foreach (var name in Namespaces.Where(n => n != folder))
                {
                    if (Regex.IsMatch(text, @"^using InvoiceTools\." + name + @";", RegexOptions.Multiline) ||
                        Regex.IsMatch(text, @"(?<![\w.])(InvoiceTools\.)?" + name + @"\.[A-Z]\w*\b(?!\s*\()") && !Regex.IsMatch(text, @"namespace InvoiceTools\." + name + ";"))
                    {
                        if (!targets.TryGetValue(name, out var files))
                        {
                            files = targets[name] = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        files.Add(file.Substring(root.Length + 1).Replace('\\', '/'));
                    }
                }
            }
        }

        return edges;
    }

    /// <summary>"A -> B [files]" for every edge of <paramref name="edges"/> that goes up <paramref name="order"/> or to a folder not in it.</summary>
    internal static List<string> Upward(Dictionary<string, Dictionary<string, SortedSet<string>>> edges, IReadOnlyList<string> order)
    {
        var rank = order.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        return edges
            .SelectMany(from => from.Value.Select(to => (From: from.Key, To: to.Key, Files: to.Value)))
            .Where(e => !rank.TryGetValue(e.From, out var a) || !rank.TryGetValue(e.To, out var b) || b >= a)
            .Select(e => $"{e.From} -> {e.To} [{string.Join(", ", e.Files)}]")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Each cycle (a strongly connected set of two folders or more) as "A, B, C: A -> B [files]; ...".</summary>
    internal static List<string> Cycles(Dictionary<string, Dictionary<string, SortedSet<string>>> edges)
    {
        var graph = edges.ToDictionary(e => e.Key, e => new HashSet<string>(e.Value.Keys, StringComparer.Ordinal), StringComparer.Ordinal);
        return StronglyConnected(graph)
            .Where(c => c.Count > 1)
            .Select(c =>
            {
                var members = new HashSet<string>(c, StringComparer.Ordinal);
                var inside = edges.Where(e => members.Contains(e.Key))
                    .SelectMany(from => from.Value.Where(to => members.Contains(to.Key)).Select(to => $"{from.Key} -> {to.Key} [{string.Join(", ", to.Value)}]"))
                    .OrderBy(s => s, StringComparer.Ordinal);
                return $"{string.Join(", ", c.OrderBy(n => n, StringComparer.Ordinal))}: {string.Join("; ", inside)}";
            })
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void Every_folder_of_Core_is_placed_in_the_order()
    {
        Assert.Empty(Edges().Keys.Except(Order, StringComparer.Ordinal));
    }

    [Fact]
    public void Cores_folders_use_only_folders_below_them()
    {
        var edges = Edges();
        var upward = Upward(edges, Order);
        Assert.True(upward.Count == 0, $"A folder uses one above it (the order, bottom first: {string.Join(" < ", Order)}):\n{string.Join("\n", upward)}");

        // The model and the errors are the bottom layer: every other folder may use them, they use none.
        Assert.Empty(edges["Model"]);
        Assert.Empty(edges["Errors"]);
    }

    [Fact]
    public void Cores_folders_have_no_cycle()
    {
        var cycles = Cycles(Edges());
        Assert.True(cycles.Count == 0, $"Core's folders import each other:\n{string.Join("\n", cycles)}");
    }

    [Fact]
    public void The_checks_name_the_folders_and_files_of_an_upward_edge_and_of_a_cycle()
    {
        // A made-up graph: Http -> Paging goes down, Paging -> Engine and Engine's way back up close a cycle.
        var edges = new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal)
        {
            ["Http"] = new(StringComparer.Ordinal),
            ["Paging"] = new(StringComparer.Ordinal) { ["Http"] = new(StringComparer.Ordinal) { "PageRequests.cs" }, ["Engine"] = new(StringComparer.Ordinal) { "ReadAhead.cs", "PageSource.cs" } },
            ["Engine"] = new(StringComparer.Ordinal) { ["Paging"] = new(StringComparer.Ordinal) { "InvoiceEngine.cs" }, ["Queries"] = new(StringComparer.Ordinal) { "InvoiceQuery.cs" } },
        };

        Assert.Equal(new[] { "Engine -> Queries [InvoiceQuery.cs]", "Paging -> Engine [PageSource.cs, ReadAhead.cs]" }, Upward(edges, Order));
        Assert.Equal(new[] { "Engine, Paging: Engine -> Paging [InvoiceEngine.cs]; Paging -> Engine [PageSource.cs, ReadAhead.cs]" }, Cycles(edges));
        Assert.Empty(Cycles(new Dictionary<string, Dictionary<string, SortedSet<string>>>(StringComparer.Ordinal) { ["Engine"] = edges["Engine"], ["Http"] = edges["Http"] }));
    }

    [Fact]
    public void Core_does_not_reach_the_emulator()
    {
        // A -Sandbox connection asks for an ISandboxServer; the module registers the emulator (EmulatorServer), so
        // Core neither names the emulator's namespace nor references its project.
        Assert.Empty(Edges().Where(e => e.Value.ContainsKey("Sandbox")).Select(e => e.Key));
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
