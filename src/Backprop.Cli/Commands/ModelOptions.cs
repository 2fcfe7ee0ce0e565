using System.CommandLine;
using System.CommandLine.Parsing;

namespace Backprop.Cli.Commands;

/// <summary>Options shared by the commands that read a saved model: <c>--model</c>, <c>--data</c>, <c>--delimiter</c>, <c>--json</c>.</summary>
internal static class ModelOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "Model file written by 'backprop train --save'",
        HelpName = "MODEL",
        Required = true,
    };

    public static Option<string> Data(string description) => new("--data")
    {
        Description = description,
        HelpName = "FILE.csv",
        Required = true,
    };

    public static Option<char?> Delimiter() => new("--delimiter")
    {
        Description = "Field delimiter: , ; tab | or another single character (default: detected from the header)",
        HelpName = "CHAR",
        CustomParser = ParseDelimiter,
    };

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object on stdout, nothing else" };

    private static char? ParseDelimiter(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text is "\\t" or "tab") return '\t';
        if (text.Length != 1)
        {
            result.AddError($"--delimiter: expected one character (or 'tab'). Received: '{text}'.");
            return null;
        }
        return text[0];
    }
}
