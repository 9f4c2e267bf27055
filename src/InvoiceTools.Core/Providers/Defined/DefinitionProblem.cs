using System;
using System.Collections.Generic;
using System.Linq;
using static System.FormattableString;

namespace InvoiceTools.Providers.Defined;

/// <summary>One thing wrong in a provider definition file: where it is (line and key) and what to change.</summary>
public sealed class DefinitionProblem
{
    /// <summary>Creates a problem.</summary>
    public DefinitionProblem(string file, int? line, string key, string message)
    {
        File = file ?? string.Empty;
        Line = line;
        Key = key ?? string.Empty;
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>The definition file's name (not its folder: paths can hold user names).</summary>
    public string File { get; }

    /// <summary>The 1-based line, when the reader knows it.</summary>
    public int? Line { get; }

    /// <summary>The key, as a path from the root (<see cref="DefinitionNode.Path"/>); empty for the file as a whole.</summary>
    public string Key { get; }

    /// <summary>What is wrong and what to write instead.</summary>
    public string Message { get; }

    /// <summary>A problem at <paramref name="node"/>.</summary>
    public static DefinitionProblem At(string file, DefinitionNode node, string message) =>
        new(file, (node ?? throw new ArgumentNullException(nameof(node))).Line, node.Path, message);

    /// <summary><c>acme.psd1:12: Paging.Type: 'Ofset' is not a paging type; ...</c></summary>
    public override string ToString()
    {
        var where = Line is int line ? Invariant($"{File}:{line}") : File;
        return Key.Length == 0 ? $"{where}: {Message}" : $"{where}: {Key}: {Message}";
    }
}

/// <summary>
/// A provider definition file that cannot be used: every problem found in it, each with its line and key. Thrown
/// by Register-InvoiceProvider before anything is registered.
/// </summary>
public sealed class InvoiceDefinitionException : InvoiceToolsException
{
    /// <summary>Creates the exception for the problems of <paramref name="file"/>.</summary>
    public InvoiceDefinitionException(string file, IReadOnlyList<DefinitionProblem> problems)
        : base(Describe(file, problems))
    {
        File = file;
        Problems = problems;
        RecommendedAction = "Correct each line named, then run Register-InvoiceProvider again. about_InvoiceTools_CustomProviders describes every key.";
    }

    /// <summary>The definition file's name.</summary>
    public string File { get; }

    /// <summary>Every problem found, in the file's order.</summary>
    public IReadOnlyList<DefinitionProblem> Problems { get; }

    private static string Describe(string file, IReadOnlyList<DefinitionProblem> problems)
    {
        if (problems is null || problems.Count == 0)
        {
            throw new ArgumentException("A definition exception has at least one problem.", nameof(problems));
        }

        var count = problems.Count == 1 ? "1 problem" : Invariant($"{problems.Count} problems");
        return $"The provider definition {file} has {count}:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => $"  {p}"))}";
    }
}
