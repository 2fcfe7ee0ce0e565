using System.CommandLine;
using System.CommandLine.Invocation;
using Backprop.Cli.Commands;

namespace Backprop.Cli;

/// <summary>The <c>backprop</c> command line: parsing, dispatch, exit codes and error reporting.</summary>
public static class Cli
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code for bad input (data, model file) or a failure.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a usage error (unknown option, bad option value).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a run interrupted by Ctrl+C.</summary>
    public const int Interrupted = 130;

    /// <summary>Parses <paramref name="args"/> and runs the command, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The process exit code.</returns>
    /// <param name="args">The command line.</param>
    /// <param name="output">Stdout.</param>
    /// <param name="error">Stderr.</param>
    /// <param name="interactive">Stdout is a terminal (live progress bars); false for redirected output and in tests.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false)
    {
        RootCommand root = CreateRootCommand(output, error, interactive);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine($"error: {parseError.Message}");
            }
            string command = parse.CommandResult.Command == root ? "backprop" : $"backprop {parse.CommandResult.Command.Name}";
            error.WriteLine($"Run '{command} --help' for usage.");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (BackpropException e)
        {
            error.WriteLine($"error: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("Interrupted.");
            return Interrupted;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not a user error: still one line, with the stack trace only when asked for.
            error.WriteLine($"error: internal error ({e.GetType().Name}): {e.Message}");
            if (Environment.GetEnvironmentVariable("BACKPROP_VERBOSE") is "1" or "true") error.WriteLine(e);
            else error.WriteLine("Set BACKPROP_VERBOSE=1 for the stack trace, and please report it.");
            return Failure;
        }
    }

    private static RootCommand CreateRootCommand(TextWriter output, TextWriter error, bool interactive)
    {
        var root = new RootCommand(
            "Backprop: neural networks for tabular data, in pure C#.\n\n"
            + "Exit codes: 0 success, 1 bad input or failure, 2 usage error, 130 interrupted.\n\n"
            + "Example:\n  backprop train                 # the classic Iris notebook: 4→16→3 MLP, per-sample SGD");
        root.Subcommands.Add(TrainCommand.Create(output, interactive));
        root.Subcommands.Add(DatasetsCommand.Create(output));
        root.Subcommands.Add(BenchCommand.Create(output));
        root.Subcommands.Add(EvaluateCommand.Create(output, error));
        root.Subcommands.Add(PredictCommand.Create(output, error));
        root.Subcommands.Add(InfoCommand.Create(output));
        root.Subcommands.Add(ExportCommand.Create(output));
        return root;
    }
}
