using System.CommandLine;
using System.CommandLine.Parsing;
using Backprop.Cli.Rendering;

namespace Backprop.Cli.Commands;

/// <summary>What a command line that did not parse gets: one line per problem, and for a typo the name that was probably meant.</summary>
internal static class UsageErrors
{
    /// <summary>The lines to print after <c>error: </c>.</summary>
    public static IEnumerable<string> Describe(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        string where = Where(command);
        HashSet<string> optionNames = OptionNames(parse);
        if (ValuelessOption(parse) is { } valueless)
        {
            yield return valueless;
            yield break;
        }
        // "train --data my.csv --save": the last word is an option that takes a value. System.CommandLine says "Required argument
        // missing for option: '--save'", and for "predict --model" also that --data is required: the value is what is missing.
        if (parse.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(r => !r.Implicit && r.Tokens.Count == 0 && r.Option.Arity.MinimumNumberOfValues > 0)
            is { } empty)
        {
            yield return $"{empty.Option.Name}: no value given (see '{where} --help').";
            yield break;
        }
        // An unknown word leads System.CommandLine to more errors (its value taken for an argument, a command missing):
        // the first unknown word is the one to talk about.
        if (parse.UnmatchedTokens.FirstOrDefault() is { } unknown)
        {
            string word = Printable.OneLine(unknown);
            bool option = unknown.StartsWith('-');
            IEnumerable<string> names = option ? optionNames : command.Subcommands.Select(c => c.Name);
            string? meant = Closest(unknown, names);
            string kind = option ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
            if (!option && File.Exists(unknown) && parse.Tokens.Any(t => t.Value is "--data" or "--validation-data"))
            {
                // "--data shards/*.csv" unquoted: the shell gave the first file to --data and the others as extra words.
                yield return $"unknown {kind} '{word}' for '{where}': a second file after --data; an unquoted glob? The shell expands it " +
                    "into its files: quote it, as --data 'shards/*.csv', or give the folder.";
                yield break;
            }
            // "backprop train my.csv", "backprop info model.safetensors": a file given without the option that takes it.
            if (!option && FileOption(unknown, command, parse.Tokens) is { } fileOption)
            {
                meant = $"{fileOption} {word}";
            }
            yield return meant is not null
                ? $"unknown {kind} '{word}' for '{where}'; did you mean '{meant}'? (see '{where} --help')"
                : $"unknown {kind} '{word}' for '{where}' (see '{where} --help').";
            yield break;
        }
        // "--epochs 3 --epochs 4", "--out a.onnx --onnx b.onnx": an option of one value given more than once. System.CommandLine
        // would say it "expects a single argument but 2 were provided", naming one of the spellings only.
        if (parse.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(r => r.Option.Arity.MaximumNumberOfValues == 1 && r.Tokens.Count > 1) is { } repeated)
        {
            Option twice = repeated.Option;
            string[] spellings = [.. parse.Tokens.Where(t => t.Type == TokenType.Option && (t.Value == twice.Name || twice.Aliases.Contains(t.Value)))
                .Select(t => t.Value).Distinct()];
            string values = string.Join(", then ", repeated.Tokens.Select(t => Printable.OneLine(t.Value)));
            string which = spellings.Length > 1 ? $"{string.Join(" and ", spellings)} are one option," : $"{twice.Name}:";
            yield return $"{which} given {repeated.Tokens.Count} times ({values}); give it once (see '{where} --help').";
            yield break;
        }
        if (command is RootCommand && parse.Tokens.Count == 0)
        {
            yield return $"expected a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))} (see 'backprop --help').";
            yield break;
        }
        foreach (ParseError error in parse.Errors)
        {
            yield return Printable.OneLine(error.Message.ReplaceLineEndings(" "));
        }
    }

    /// <summary>
    /// The line for an option that took the name of another option for its value, or <see langword="null"/>. System.CommandLine
    /// gives an option the next word whatever it is: "--lr --save m.safetensors" gives --lr the value "--save" (and then
    /// "m.safetensors" is an unknown word), and "--save --json" parses without an error into a file named "--json" and no JSON.
    /// What the user left out is the first option's value.
    /// </summary>
    public static string? ValuelessOption(ParseResult parse)
    {
        // Every run asks: a loop over the words first, so that a line with no value starting with '-' costs nothing more.
        bool dashed = false;
        foreach (Token token in parse.Tokens) dashed |= token.Type == TokenType.Argument && token.Value.StartsWith('-');
        if (!dashed)
        {
            return null;
        }
        HashSet<string> optionNames = OptionNames(parse);
        if (parse.CommandResult.Children.OfType<OptionResult>().FirstOrDefault(r => r.Tokens.Any(t => optionNames.Contains(t.Value))) is not { } valueless)
        {
            return null;
        }
        string next = valueless.Tokens.First(t => optionNames.Contains(t.Value)).Value;
        return $"{valueless.Option.Name}: no value given (the next word, {next}, is an option) (see '{Where(parse.CommandResult.Command)} --help').";
    }

    private static string Where(Command command) => command is RootCommand ? "backprop" : $"backprop {command.Name}";

    // Every spelling of every option the command takes, its own and the root's that apply to it.
    private static HashSet<string> OptionNames(ParseResult parse) =>
        [.. parse.CommandResult.Command.Options.Concat(AncestorsRecursiveOptions(parse)).SelectMany(o => o.Aliases.Prepend(o.Name))];

    /// <summary>
    /// The option of <paramref name="command"/> that takes a file such as <paramref name="word"/> (by its extension, or any file
    /// or folder that exists for the data), when the command line does not give that option already; otherwise <see langword="null"/>.
    /// </summary>
    internal static string? FileOption(string word, Command command, IReadOnlyList<Token> tokens)
    {
        string extension = Path.GetExtension(word.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? word[..^3] : word).ToLowerInvariant();
        string[] candidates = extension switch
        {
            ".safetensors" => command.Name == "train" ? [File.Exists(word) ? "--resume" : "--save"] : ["--model"],
            ".csv" or ".tsv" or ".txt" or ".dat" or ".data" or ".parquet" or ".pq" => ["--data"],
            ".onnx" => ["--onnx"],
            ".png" or ".svg" => ["--plot"],
            ".html" or ".htm" => ["--report"],
            _ when Directory.Exists(word) || File.Exists(word) => ["--data"],
            _ => [],
        };
        foreach (string candidate in candidates)
        {
            if (command.Options.FirstOrDefault(o => o.Name == candidate) is { } declared
                && !tokens.Any(t => t.Type == TokenType.Option && (t.Value == declared.Name || declared.Aliases.Contains(t.Value))))
            {
                return candidate;
            }
        }
        return null;
    }

    // --help and --verbose are declared on the root and apply to every command.
    private static IEnumerable<Option> AncestorsRecursiveOptions(ParseResult parse) =>
        parse.RootCommandResult.Command.Options.Where(o => o.Recursive || o.Name is "--help" or "--version");

    /// <summary>The name nearest to <paramref name="word"/> by edit distance (at most 2, or a third of its length), or <see langword="null"/>.</summary>
    public static string? Closest(string word, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in names.Distinct())
        {
            int distance = Distance(word.ToLowerInvariant(), name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }
        return bestDistance <= Math.Max(1, Math.Min(2, word.TrimStart('-').Length / 3)) ? best : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("trian" → "train": 1).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
