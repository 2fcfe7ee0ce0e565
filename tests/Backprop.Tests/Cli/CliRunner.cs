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

    /// <summary>Runs the CLI and acts as Ctrl+C does as soon as it writes a line starting with <paramref name="line"/>.</summary>
    public static (int ExitCode, string Output, string Error) RunInterruptedAfter(string line, string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        var output = new InterruptingWriter(line, interrupt) { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int code = Backprop.Cli.Cli.Run(args, output, error, interrupt: interrupt.Token);
        return (code, output.ToString(), error.ToString());
    }

    // Cancels when a line with the prefix is written: the epoch lines are written on the training thread, between epochs.
    private sealed class InterruptingWriter(string prefix, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal)) interrupt.Cancel();
        }
    }
}
