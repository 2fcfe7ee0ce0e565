using System.CommandLine;

namespace Backprop.Cli.Commands;

/// <summary>
/// Options shared by the commands that read a saved model: <c>--model</c>, <c>--data</c>, <c>--delimiter</c>, <c>--decimal</c>,
/// <c>--json</c> (<c>--delimiter</c> and <c>--decimal</c> are <c>train</c>'s too).
/// </summary>
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
        Description = description + "; a CSV or Parquet file, a folder of shards, or a quoted glob such as 'data/*.parquet'",
        HelpName = "FILE",
        Required = true,
    };

    public static Option<char?> Delimiter() => new("--delimiter")
    {
        Description = "Field delimiter: , ; tab | another punctuation character, space, or whitespace for runs of spaces and tabs "
            + "(default: detected from the header)",
        HelpName = "CHAR",
        CustomParser = OptionValues.Delimiter,
    };

    public static Option<char?> Decimal() => new("--decimal")
    {
        Description = "Decimal separator of the numbers: . or , (default: detected; decimal commas such as 0,538 in a file delimited by ;)",
        HelpName = ".|,",
        CustomParser = OptionValues.Decimal,
    };

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object on stdout, nothing else" };
}
