namespace Backprop.Tests.Cli;

/// <summary>Runs the CLI in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int code = Backprop.Cli.Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
