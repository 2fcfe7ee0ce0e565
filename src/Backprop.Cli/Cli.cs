using System.CommandLine;
using System.CommandLine.Invocation;
using Backprop.Cli.Commands;
using Backprop.Cli.Rendering;

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

    /// <summary>
    /// Exit code of a run whose output's reader closed the pipe before the end (<c>predict … | head</c>): 128 + SIGPIPE, the status
    /// the shell gives any program that a closed pipe stops, so <c>set -o pipefail</c> sees it alike.
    /// </summary>
    public const int OutputClosed = 141;

    /// <summary>
    /// Whether <paramref name="args"/> may print data on stdout (predict's rows, <c>--json</c>, an output file <c>-</c>): a terminal
    /// gets those unbroken. Erring towards yes only leaves a report to the terminal's own wrapping.
    /// </summary>
    internal static bool PrintsData(string[] args) => args.Any(arg => arg is "predict" or "--json" or "-");

    /// <summary>Parses <paramref name="args"/> and runs the command, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The process exit code.</returns>
    /// <param name="args">The command line.</param>
    /// <param name="output">Stdout.</param>
    /// <param name="error">Stderr.</param>
    /// <param name="interactive">Stdout is a terminal (live progress bars); false for redirected output and in tests.</param>
    /// <param name="colorErrors">Stderr is a terminal: error lines in red (unless NO_COLOR is set).</param>
    /// <param name="interrupt">Acts as Ctrl+C does (for a host running the command in its own process, and for tests).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false, bool colorErrors = false,
        CancellationToken interrupt = default)
    {
        var verbose = new Option<bool>("--verbose")
        {
            Description = "On an error, also print its causes (and for an internal error the stack trace)",
            Recursive = true,
        };
        RootCommand root = CreateRootCommand(output, error, interactive, interrupt);
        root.Options.Add(verbose);
        bool red = colorErrors && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        void Error(string line) => error.WriteLine(red ? $"\u001b[31m{line}\u001b[0m" : line);
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Parsing runs the options' parsers and validators: a bug there is still one line.
            return Internal(e, args.Contains("--verbose"));
        }
        // "--save --json" parses: --save takes the word "--json". It is still a usage error, the same as "--lr --save m.safetensors".
        if (parse.Action is ParseErrorAction || UsageErrors.ValuelessOption(parse) is not null)
        {
            foreach (string line in UsageErrors.Describe(parse))
            {
                Error($"error: {line}");
            }
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (BackpropException e)
        {
            // Messages quote file contents (names, values): printed escaped, as one line.
            Error($"error: {Printable.OneLine(e.Message)}");
            if (parse.GetValue(verbose))
            {
                for (Exception? cause = e.InnerException; cause is not null; cause = cause.InnerException)
                {
                    error.WriteLine($"  caused by {cause.GetType().Name}: {Printable.OneLine(cause.Message)}");
                }
            }
            return Failure;
        }
        catch (UsageException e)
        {
            Error($"error: {Printable.OneLine(e.Message)}");
            return UsageError;
        }
        catch (OutOfMemoryException)
        {
            // What failed was one large allocation: the memory it asked for is free again, enough to say so.
            Error("error: out of memory: the data or the model does not fit in the memory this process may use; use a smaller file or network, or a machine (or container limit) with more memory.");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("Interrupted.");
            return Interrupted;
        }
        catch (IOException e)
        {
            // Files are checked where they are read and saved (with their names); what is left is the machine's: a full disk under
            // standard output redirected to a file, a device that fails. Not a bug of ours: one line, no stack trace.
            Error($"error: input/output failed: {Printable.OneLine(e.Message).TrimEnd('.')}.");
            return Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Internal(e, parse.GetValue(verbose));
        }

        // A bug, not a user error: still one line, with the stack trace only when asked for.
        int Internal(Exception e, bool showTrace)
        {
            bool trace = showTrace || Environment.GetEnvironmentVariable("BACKPROP_VERBOSE") is "1" or "true";
            Error($"error: internal error ({e.GetType().Name}): {Printable.OneLine(e.Message).TrimEnd('.')}."
                + (trace ? "" : " Run with --verbose for the stack trace, and please report it."));
            if (trace) error.WriteLine(e);
            return Failure;
        }
    }

    /// <summary>Every command and option, as parsed and dispatched (tests walk it to try every option).</summary>
    internal static RootCommand CreateRootCommand(TextWriter output, TextWriter error, bool interactive, CancellationToken interrupt)
    {
        var root = new RootCommand(
            "Backprop: neural networks for tabular data, in pure C#.\n\n"
            + "Exit codes: 0 success, 1 bad input or failure, 2 usage error, 130 interrupted, 141 output pipe closed.\n\n"
            + "Example:\n  backprop train                 # the classic Iris notebook: 4→16→3 MLP, per-sample SGD");
        root.Subcommands.Add(TrainCommand.Create(output, interactive, interrupt));
        root.Subcommands.Add(DatasetsCommand.Create(output));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(EvaluateCommand.Create(output, error));
        root.Subcommands.Add(PredictCommand.Create(output, error));
        root.Subcommands.Add(ExplainCommand.Create(output, error));
        root.Subcommands.Add(InfoCommand.Create(output));
        root.Subcommands.Add(ExportCommand.Create(output));
        OptionValues.Apply(root);
        return root;
    }
}
