using System.CommandLine;
using System.CommandLine.Parsing;
using Backprop.Preprocessing;

namespace Backprop.Cli.Commands;

/// <summary>The options that choose and shape a CSV data file: <c>--data</c>, <c>--target</c>, <c>--features</c>, ….</summary>
/// <remarks>Kept apart from the training options so that any command reading a CSV file (train, evaluate) can add the same set.</remarks>
internal sealed class DataOptions
{
    private readonly Option<string> _data = new("--data")
    {
        Description = "CSV file to train on: a header line, then rows; delimiter , ; tab or | detected; the target is the last column unless --target",
        HelpName = "FILE.csv",
    };

    private readonly Option<string> _target = new("--target")
    {
        Description = "Target column (default: the last column); strings are classes, and so are integers with at most 20 distinct values",
        HelpName = "COLUMN",
    };

    private readonly Option<string[]> _features = ListOption("--features", "Feature columns, comma-separated (default: every column but the target)");
    private readonly Option<string[]> _drop = ListOption("--drop", "Columns not to use, comma-separated (e.g. an id)");
    private readonly Option<string[]> _categorical = ListOption("--categorical", "Numeric columns to one-hot encode as categories, comma-separated");

    private readonly Option<string> _missing = new("--missing")
    {
        Description = "Missing cells (empty, NA, N/A, NaN, null, ?): mean or median of the column (most frequent value for strings), or error",
        DefaultValueFactory = _ => "mean",
    };

    private readonly Option<char?> _delimiter = new("--delimiter")
    {
        Description = "Field delimiter: , ; tab | or another single character (default: detected from the header)",
        HelpName = "CHAR",
        CustomParser = ParseDelimiter,
    };

    public DataOptions() => _missing.AcceptOnlyFromAmong("mean", "median", "error");

    /// <summary>Adds the options to <paramref name="command"/>, with a check that the companions come with <c>--data</c>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[_data, _target, _features, _drop, _categorical, _missing, _delimiter])
        {
            command.Options.Add(option);
        }
        command.Validators.Add(result =>
        {
            if (result.GetResult(_data) is not null)
            {
                // --data replaces the embedded data set, so naming both is a contradiction.
                Option? dataset = command.Options.FirstOrDefault(o => o.Name == "--dataset");
                if (dataset is not null && result.GetResult(dataset) is { Implicit: false })
                {
                    result.AddError("--data: expected either --data FILE.csv or --dataset NAME. Received: both.");
                }
                return;
            }
            foreach (Option option in (Option[])[_target, _features, _drop, _categorical, _missing, _delimiter])
            {
                if (result.GetResult(option) is { Implicit: false }) result.AddError($"{option.Name}: expected together with --data FILE.csv.");
            }
        });
    }

    /// <summary>The data settings, or <see langword="null"/> when <c>--data</c> was not given.</summary>
    public DataSettings? Read(ParseResult parse)
    {
        string? path = parse.GetValue(_data);
        if (path is null) return null;
        MissingValueStrategy missing = parse.GetValue(_missing) switch
        {
            "median" => MissingValueStrategy.Median,
            "error" => MissingValueStrategy.Error,
            _ => MissingValueStrategy.Mean,
        };
        return new DataSettings(path, parse.GetValue(_target), parse.GetValue(_features) ?? [], parse.GetValue(_drop) ?? [],
            parse.GetValue(_categorical) ?? [], missing, parse.GetValue(_delimiter), parse.InvocationConfiguration.Error);
    }

    private static Option<string[]> ListOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "a,b",
        CustomParser = ParseList,
    };

    // "a,b" or "a" "b" or repeated: one list of names, blanks removed.
    private static string[] ParseList(ArgumentResult result) =>
        result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    private static char? ParseDelimiter(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        char? delimiter = text switch
        {
            "tab" or "\\t" or "\t" => '\t',
            "comma" => ',',
            "semicolon" => ';',
            "pipe" => '|',
            { Length: 1 } => text[0],
            _ => null,
        };
        if (delimiter is not char d || d is '"' or ' ' || char.IsLetterOrDigit(d))
        {
            result.AddError($"--delimiter: expected one character such as , ; | or the word tab. Received: '{text}'.");
            return null;
        }
        return delimiter;
    }
}
