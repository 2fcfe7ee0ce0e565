using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Backprop.Cli.Rendering;
using Backprop.Data;

namespace Backprop.Cli.Commands;

/// <summary>
/// How every option of every command reads its value: one line per error, in the CLI's form
/// (<c>--epochs: expected an integer. Received: '1.5'.</c>), never an exception.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Apply"/> walks the command tree once it is built, so an option added later is covered without more code: a
/// numeric option gets a parser (System.CommandLine's own says "as expected type 'System.Int32'", and reading a value that
/// failed to parse throws), a text option refuses the empty string. Numbers are invariant: a point is the decimal separator
/// and a comma is an error, never a thousands separator (System.CommandLine read <c>--lr 0,01</c> as 1).
/// </para>
/// <para>Ranges are the options record's to check (<c>TabularTrainingOptions.Validate</c>), or a command's own validator.</para>
/// </remarks>
internal static class OptionValues
{
    /// <summary>Gives every option of <paramref name="command"/> and its subcommands a parser or validator whose errors are one line.</summary>
    public static void Apply(Command command)
    {
        foreach (Option option in command.Options)
        {
            switch (option)
            {
                case Option<int> o when o.CustomParser is null:
                    o.CustomParser = r => Integer(r, o.Name) ?? 0;
                    break;
                case Option<int?> o when o.CustomParser is null:
                    o.CustomParser = r => Integer(r, o.Name);
                    break;
                case Option<ulong> o when o.CustomParser is null:
                    o.CustomParser = r => Unsigned(r, o.Name) ?? 0;
                    break;
                case Option<double> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name) ?? 0;
                    break;
                case Option<double?> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name);
                    break;
                case Option<string> o when o.CustomParser is null:
                    o.Validators.Add(r =>
                    {
                        if (r.Tokens.Count == 1 && r.Tokens[0].Value.Length == 0) r.AddError($"{o.Name}: expected {Article(o.HelpName)}. Received: ''.");
                    });
                    break;
            }
        }
        foreach (Command subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    /// <summary>Makes <paramref name="option"/> take an integer in <c>[min, max]</c>, checked when the command line is read; <paramref name="expected"/> says so in the error.</summary>
    public static Option<int> Between(this Option<int> option, int min, int max, string expected)
    {
        option.CustomParser = result =>
        {
            int? value = Integer(result, option.Name, expected);
            if (value is int n && (n < min || n > max))
            {
                result.AddError($"{option.Name}: expected {expected}. Received: '{Single(result)}'.");
            }
            return value ?? min;
        };
        return option;
    }

    /// <summary>
    /// Makes <paramref name="option"/> take a share below 1 and above 0, or from <paramref name="minimum"/> when given (a coverage, such
    /// as 0.9), checked when the command line is read.
    /// </summary>
    public static Option<double?> Share(this Option<double?> option, double? minimum = null)
    {
        option.CustomParser = result =>
        {
            double? value = Number(result, option.Name);
            if (value is double share && !((minimum is double least ? share >= least : share > 0) && share < 1))
            {
                string range = minimum is double from ? $"from {from.ToString(CultureInfo.InvariantCulture)} to below 1" : "between 0 and 1";
                result.AddError($"{option.Name}: expected a number {range}, for example 0.9. Received: '{Single(result)}'.");
                return null;
            }
            return value;
        };
        return option;
    }

    /// <summary>
    /// Makes <paramref name="option"/> take a file name ending in <c>.png</c> or <c>.svg</c>, the formats a plot is drawn in:
    /// checked when the command line is read, not when the plot is drawn after a whole training run.
    /// </summary>
    public static Option<string> PlotPath(this Option<string> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && r.Tokens[0].Value is { Length: > 0 } path && !Rendering.PlotFile.HasFormat(path))
            {
                r.AddError($"{option.Name}: expected a file name ending in .png or .svg. Received: '{path}'.");
            }
        });
        return option;
    }

    /// <summary>Makes <paramref name="option"/> take a file name ending in <c>.html</c>, checked when the command line is read.</summary>
    public static Option<string> ReportPath(this Option<string> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && r.Tokens[0].Value is { Length: > 0 } path && !Rendering.HtmlReport.HasFormat(path))
            {
                r.AddError($"{option.Name}: expected a file name ending in .html. Received: '{path}'.");
            }
        });
        return option;
    }

    /// <summary>Makes <paramref name="option"/> take one of <paramref name="values"/> (ignoring case), shown as <c>&lt;a|b|c&gt;</c> in help.</summary>
    public static Option<string> OneOf(this Option<string> option, params IReadOnlyList<string> values)
    {
        option.HelpName = string.Join('|', values);
        option.CustomParser = r =>
        {
            string text = Single(r);
            string? match = values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
            if (match is null) r.AddError($"{option.Name}: expected one of {string.Join(", ", values)}. Received: '{text}'.");
            return match ?? values[0];
        };
        return option;
    }

    /// <summary>
    /// A field delimiter as written on the command line: one character, or <c>tab</c>, <c>comma</c>, <c>semicolon</c>, <c>pipe</c>,
    /// <c>space</c> (each space separates), <c>whitespace</c> (runs of spaces and tabs: <see cref="CsvReadOptions.Whitespace"/>).
    /// </summary>
    public static char? Delimiter(ArgumentResult result)
    {
        string text = Single(result);
        // The words in any case, as the other options' words (--dataset IRIS); a single character as it is.
        char? delimiter = (text.Length > 1 ? text.ToLowerInvariant() : text) switch
        {
            "tab" or "\\t" => '\t',
            "comma" => ',',
            "semicolon" => ';',
            "pipe" => '|',
            "space" => ' ',
            "whitespace" => CsvReadOptions.Whitespace,
            { Length: 1 } when text[0] != CsvReadOptions.Whitespace => text[0],
            _ => null,
        };
        if (delimiter is not char d || !CsvReadOptions.IsDelimiter(d))
        {
            result.AddError($"--delimiter: expected one punctuation character such as , ; | or one of the words tab, space, whitespace. Received: '{Printable.OneLine(text)}'.");
            return null;
        }
        return delimiter;
    }

    /// <summary>A decimal separator as written on the command line: <c>.</c> or <c>,</c> (or the words <c>point</c>, <c>comma</c>).</summary>
    public static char? Decimal(ArgumentResult result)
    {
        string text = Single(result);
        char? separator = text.ToLowerInvariant() switch
        {
            "." or "point" => '.',
            "," or "comma" => ',',
            _ => null,
        };
        if (separator is null)
        {
            result.AddError($"--decimal: expected the decimal separator . or , (the words point or comma). Received: '{Printable.OneLine(text)}'.");
        }
        return separator;
    }

    // An integer; one too large for an int is out of the option's own range where it has one (expected), else out of int's.
    private static int? Integer(ArgumentResult result, string name, string? expected = null)
    {
        string text = Single(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)) return value;
        string range = expected ?? (text.StartsWith('-') ? $"an integer of at least {int.MinValue:N0}" : $"an integer of at most {int.MaxValue:N0}");
        result.AddError(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || IsDigits(text)
            ? string.Create(CultureInfo.InvariantCulture, $"{name}: expected {range}. Received: '{text}'.")
            : $"{name}: expected an integer. Received: '{text}'.");
        return null;
    }

    private static ulong? Unsigned(ArgumentResult result, string name)
    {
        string text = Single(result);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)) return value;
        result.AddError($"{name}: expected a whole number from 0 to {ulong.MaxValue:N0}. Received: '{text}'.");
        return null;
    }

    private static double? Number(ArgumentResult result, string name)
    {
        string text = Single(result);
        // NumberStyles.Float: sign, decimal point, exponent; no thousands separator, so "0,01" is an error rather than 1.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        result.AddError(text.Contains(',', StringComparison.Ordinal)
            ? $"{name}: expected a number with a point as decimal separator (such as 0.01). Received: '{text}'."
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? $"{name}: expected a finite number. Received: '{text}'."
                : $"{name}: expected a number. Received: '{text}'.");
        return null;
    }

    // The one token of a single-valued option (System.CommandLine reports a missing or extra one itself).
    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static bool IsDigits(string text) => text.Length > 0 && text.TrimStart('-', '+').All(char.IsAsciiDigit);

    // "a file name" for MODEL, FILE or FILE.csv, "a value" otherwise.
    private static string Article(string? helpName) =>
        helpName is null ? "a value" : helpName.Contains('.') || helpName is "MODEL" or "FILE" ? "a file name" : helpName == "COLUMN" ? "a column name" : "a value";
}
