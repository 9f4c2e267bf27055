using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using InvoiceTools.Providers.Defined;

namespace InvoiceTools.Commands.Infrastructure;

/// <summary>
/// Reads a provider definition written as a PowerShell data file (.psd1) into a <see cref="DefinitionNode"/> tree,
/// under the rules of Import-PowerShellDataFile: the file is one hashtable of string constants, numbers,
/// <c>$true</c>, <c>$false</c>, <c>$null</c>, arrays and hashtables. The file is parsed, never run: a command,
/// variable, subexpression, expandable string, script block, type or cast is a problem at its line and key.
/// </summary>
internal static class DataFileReader
{
    private const string OnlyLiterals = "only literals, hashtables and arrays are allowed in a definition: found ";

    // At a line's start or after ';', as a statement; a string holding such a line is refused too, and says why.
    private static readonly Regex LoadingStatement = new(@"(?<=^|;)[ \t]*using[ \t]+(assembly|module)\b[^\r\n;]*", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Reads the .psd1 at <paramref name="path"/>; each value has its 1-based line and its key path.</summary>
    /// <exception cref="InvoiceDefinitionException">
    /// The file cannot be read, PowerShell cannot parse it (its parse errors, each with its line), it is not one
    /// hashtable, a value is not a literal, a key is not a name or string, or a key appears twice: every problem at
    /// once, with the file's name only.
    /// </exception>
    public static DefinitionNode Read(string path)
    {
        var file = Path.GetFileName(path);
        string text;
        try
        {
            // Read here rather than by Parser.ParseFile: the same UTF-8 reading on every PowerShell, and an error
            // that names the file only.
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : $"the file cannot be read ({e.GetType().Name})";
            throw new InvoiceDefinitionException(file, new[] { new DefinitionProblem(file, null, string.Empty, why) });
        }

        // PowerShell's parser loads the assembly of a 'using assembly' statement (and may look up the module of a
        // 'using module' one) while it parses: such a file is refused before it is parsed.
        if (LoadingStatement.Match(text) is { Success: true } loading)
        {
            var line = text.Substring(0, loading.Index).Count(c => c == '\n') + 1;
            throw new InvoiceDefinitionException(file, new[] { new DefinitionProblem(file, line, string.Empty, OnlyLiterals + "a using statement: " + loading.Value.Trim()) });
        }

        var ast = Parser.ParseInput(text, path, out _, out var errors);
        var walker = new Walker(file);
        if (errors.Length > 0)
        {
            // A file that does not parse gets its parse errors only: the AST around an error is PowerShell's guess.
            foreach (var error in errors)
            {
                walker.Problems.Add(new DefinitionProblem(file, error.Extent.StartLineNumber, string.Empty, ParseMessage(error)));
            }
        }

        var root = errors.Length == 0 ? walker.Root(ast) : null;
        if (walker.Problems.Count > 0)
        {
            throw new InvoiceDefinitionException(file, walker.Problems.OrderBy(p => p.Line ?? 0).ToList());
        }

        return root!;
    }

    private static string ParseMessage(ParseError error) =>
        error.ErrorId == "DuplicateKeyInHashLiteral"
            ? $"the key '{error.Extent.Text.Trim('\'', '"')}' appears twice in one hashtable (keys are case-insensitive): keep one"
            : $"PowerShell cannot parse the file: {error.Message}";

    private sealed class Walker
    {
        private readonly string _file;

        public Walker(string file) => _file = file;

        public List<DefinitionProblem> Problems { get; } = new();

        public DefinitionNode? Root(ScriptBlockAst script)
        {
            DefinitionNode? root = null;
            foreach (var block in new Ast?[] { script.ParamBlock, script.BeginBlock, script.ProcessBlock, script.DynamicParamBlock }.Concat(script.UsingStatements))
            {
                if (block is not null)
                {
                    Forbidden(block, string.Empty, Describe(block));
                }
            }

            foreach (var statement in script.EndBlock?.Statements ?? (IEnumerable<StatementAst>)Array.Empty<StatementAst>())
            {
                if (root is null && Unwrap(statement) is HashtableAst hashtable)
                {
                    root = Map(hashtable, string.Empty);
                }
                else if (root is not null && Unwrap(statement) is HashtableAst)
                {
                    Problems.Add(new DefinitionProblem(_file, statement.Extent.StartLineNumber, string.Empty, "a definition is one hashtable @{ ... }: found a second one"));
                }
                else
                {
                    var before = Problems.Count;
                    Value(statement, string.Empty);
                    if (Problems.Count == before)
                    {
                        Problems.Add(new DefinitionProblem(_file, statement.Extent.StartLineNumber, string.Empty, $"a definition is one hashtable @{{ ... }} and nothing else: found {Brief(statement.Extent.Text)}"));
                    }
                }
            }

            if (root is null && Problems.Count == 0)
            {
                Problems.Add(new DefinitionProblem(_file, null, string.Empty, "a definition is one hashtable @{ ... }: the file has none"));
            }

            return root;
        }

        private DefinitionNode Map(HashtableAst hashtable, string path)
        {
            var entries = new List<KeyValuePair<string, DefinitionNode>>();
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in hashtable.KeyValuePairs)
            {
                var line = pair.Item1.Extent.StartLineNumber;
                if (pair.Item1 is not StringConstantExpressionAst key)
                {
                    if (pair.Item1 is ConstantExpressionAst number)
                    {
                        Problems.Add(new DefinitionProblem(_file, line, path, $"a key is a name or a string: found the number {number.Extent.Text}"));
                    }
                    else
                    {
                        Forbidden(pair.Item1, path, Describe(pair.Item1));
                    }

                    continue;
                }

                var childPath = DefinitionNode.ChildPath(path, key.Value);
                var value = Value(pair.Item2, childPath);
                if (seen.TryGetValue(key.Value, out var firstLine))
                {
                    Problems.Add(new DefinitionProblem(_file, line, childPath, string.Format(CultureInfo.InvariantCulture, "the key '{0}' appears twice in one hashtable (first on line {1}; keys are case-insensitive): keep one", key.Value, firstLine)));
                    continue;
                }

                seen.Add(key.Value, line);
                entries.Add(new KeyValuePair<string, DefinitionNode>(key.Value, value));
            }

            return DefinitionNode.Map(path, hashtable.Extent.StartLineNumber, entries);
        }

        /// <summary>A value; a forbidden one is a problem, and its place in the tree a null.</summary>
        private DefinitionNode Value(Ast ast, string path)
        {
            var line = ast.Extent.StartLineNumber;
            switch (Unwrap(ast))
            {
                case HashtableAst hashtable:
                    return Map(hashtable, path);
                case ArrayLiteralAst array:
                    return DefinitionNode.List(path, line, array.Elements.Select((element, i) => Value(element, DefinitionNode.ItemPath(path, i))).ToList());
                case ArrayExpressionAst array:
                    var items = new List<DefinitionNode>();
                    AddItems(array, path, items);
                    return DefinitionNode.List(path, line, items);
                case StringConstantExpressionAst text when text.StringConstantType != StringConstantType.BareWord:
                    return DefinitionNode.FromText(path, line, text.Value);
                case ConstantExpressionAst constant:
                    return Number(constant.Value, constant, path, negate: false);
                case UnaryExpressionAst { TokenKind: TokenKind.Minus or TokenKind.Plus, Child: ConstantExpressionAst constant } unary
                    when constant is not StringConstantExpressionAst:
                    return Number(constant.Value, unary, path, negate: unary.TokenKind == TokenKind.Minus);
                case VariableExpressionAst variable when variable.VariablePath.IsUnqualified && IsLiteralVariable(variable.VariablePath.UserPath) is { } literal:
                    return literal switch
                    {
                        "true" => DefinitionNode.FromBoolean(path, line, true),
                        "false" => DefinitionNode.FromBoolean(path, line, false),
                        _ => DefinitionNode.FromNull(path, line),
                    };
                case var other:
                    Forbidden(other, path, Describe(other));
                    return DefinitionNode.FromNull(path, line);
            }
        }

        // @( ... ) holds what its statements output, and a statement outputs an array's values one by one, as in
        // PowerShell: @('a', 'b') and @('a'; 'b') are both two strings, @(@(1, 2); 3) is 1, 2 and 3, and
        // @(@(1, 2), @(3)) is two arrays.
        private void AddItems(ArrayExpressionAst array, string path, List<DefinitionNode> items)
        {
            foreach (var statement in array.SubExpression.Statements)
            {
                switch (Unwrap(statement))
                {
                    case ArrayLiteralAst literal:
                        foreach (var element in literal.Elements)
                        {
                            items.Add(Value(element, DefinitionNode.ItemPath(path, items.Count)));
                        }

                        break;
                    case ArrayExpressionAst inner:
                        AddItems(inner, path, items);
                        break;
                    default:
                        items.Add(Value(statement, DefinitionNode.ItemPath(path, items.Count)));
                        break;
                }
            }
        }

        private DefinitionNode Number(object value, Ast where, string path, bool negate)
        {
            var line = where.Extent.StartLineNumber;
            try
            {
                var number = value switch
                {
                    int or long or byte or sbyte or short or ushort or uint or ulong or decimal or double or float => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                    System.Numerics.BigInteger big => (decimal)big, // PowerShell 7's 123n
                    _ => (decimal?)null,
                };
                if (number is decimal known)
                {
                    return DefinitionNode.FromNumber(path, line, negate ? -known : known);
                }
            }
            catch (OverflowException)
            {
                Problems.Add(new DefinitionProblem(_file, line, path, $"the number {where.Extent.Text} is too large: a definition's numbers have at most 28 digits"));
                return DefinitionNode.FromNumber(path, line, null);
            }

            Forbidden(where, path, Describe(where));
            return DefinitionNode.FromNull(path, line);
        }

        private void Forbidden(Ast ast, string path, string what) =>
            Problems.Add(new DefinitionProblem(_file, ast.Extent.StartLineNumber, path, OnlyLiterals + what));

        private static string? IsLiteralVariable(string name) =>
            name.Equals("true", StringComparison.OrdinalIgnoreCase) ? "true"
            : name.Equals("false", StringComparison.OrdinalIgnoreCase) ? "false"
            : name.Equals("null", StringComparison.OrdinalIgnoreCase) ? "null"
            : null;

        /// <summary>The expression a statement holds when it is a plain expression (no command, no redirection); else the statement.</summary>
        private static Ast Unwrap(Ast ast)
        {
            while (true)
            {
                switch (ast)
                {
                    case PipelineAst { PipelineElements.Count: 1 } pipeline when pipeline.PipelineElements[0] is CommandExpressionAst { Redirections.Count: 0 } command:
                        ast = command.Expression;
                        break;
                    case CommandExpressionAst { Redirections.Count: 0 } command:
                        ast = command.Expression;
                        break;
                    default:
                        return ast;
                }
            }
        }

        private static string Describe(Ast ast)
        {
            var text = Brief(ast.Extent.Text);
            return ast switch
            {
                PipelineAst { PipelineElements.Count: 1 } pipeline when pipeline.PipelineElements[0] is CommandAst command && command.GetCommandName() is { } name
                    && name.IndexOf('-') < 0 && command.CommandElements.Count == 1
                    => $"the command {name} (a string is quoted: '{name}')",
                PipelineAst { PipelineElements.Count: 1 } pipeline when pipeline.PipelineElements[0] is CommandAst => $"a command: {text}",
                PipelineAst => $"a pipeline: {text}",
                CommandAst => $"a command: {text}",
                StringConstantExpressionAst => $"a bare word {text} (a string is quoted: '{text}')",
                VariableExpressionAst => $"the variable {text}",
                ExpandableStringExpressionAst => $"a string that expands variables or subexpressions: {text} (write it in single quotes)",
                SubExpressionAst => $"a subexpression: {text}",
                ParenExpressionAst => $"an expression in parentheses: {text}",
                ScriptBlockExpressionAst or ScriptBlockAst or NamedBlockAst => $"a script block: {text}",
                ParamBlockAst => $"a param block: {text}",
                UsingStatementAst => $"a using statement: {text}",
                ConvertExpressionAst => $"a cast: {text}",
                TypeExpressionAst => $"a type: {text}",
                InvokeMemberExpressionAst => $"a method call: {text}",
                MemberExpressionAst => $"a property: {text}",
                IndexExpressionAst => $"an index: {text}",
                BinaryExpressionAst or UnaryExpressionAst => $"an operator: {text}",
                AssignmentStatementAst => $"an assignment: {text}",
                StatementAst => $"a statement: {text}",
                _ => $"{text}",
            };
        }

        private static string Brief(string text)
        {
            var oneLine = string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
            return oneLine.Length <= 40 ? oneLine : oneLine.Substring(0, 37) + "...";
        }
    }
}
