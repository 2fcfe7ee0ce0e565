using Backprop.Cli;
using Backprop.Cli.Rendering;

// First, so that the background compilation overlaps everything after it (StartupProfile: the multicore JIT).
StartupProfile? profile = StartupProfile.Start(args);

// A rank of an MPI job writes to a terminal that mpirun forwards, often into a file or a pipe (a job's log, --json for a
// script): .NET would set that terminal up with escape sequences ahead of the first line, and a progress bar would redraw
// itself into the log. So a rank prints plain lines, as into a file. Read before any use of the console.
bool mpiRank = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;
if (mpiRank)
{
    Environment.SetEnvironmentVariable("TERM", "dumb");
}
TextWriter output = StandardOutput.ForProcess();
if (!mpiRank && !Console.IsOutputRedirected && !Cli.PrintsData(args))
{
    // Reports and messages on a terminal break between words too; data (predict's CSV, --json) is printed as it is, so that
    // what a user copies from the terminal is the data.
    output = new WrappedLines(output, () => Console.WindowWidth);
}
bool errorsOnTerminal = !mpiRank && !Console.IsErrorRedirected;
// On a terminal, long notes break between words rather than mid-word; redirected, each stays one line.
TextWriter errors = errorsOnTerminal ? new WrappedLines(Console.Error, () => Console.WindowWidth) : Console.Error;
int exitCode = Cli.Run(args, output, errors, interactive: !mpiRank && !Console.IsOutputRedirected, colorErrors: errorsOnTerminal);
errors.Flush();
output.Flush();
profile?.End(keep: StartupProfile.Keeps(args, exitCode));
return exitCode;
