using Backprop.Cli;
using Backprop.Cli.Rendering;

// A rank of an MPI job writes to a terminal that mpirun forwards, often into a file or a pipe (a job's log, --json for a
// script): .NET would set that terminal up with escape sequences ahead of the first line, and a progress bar would redraw
// itself into the log. So a rank prints plain lines, as into a file. Read before any use of the console.
bool mpiRank = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;
if (mpiRank)
{
    Environment.SetEnvironmentVariable("TERM", "dumb");
}
TextWriter output = StandardOutput.ForProcess();
int exitCode = Cli.Run(args, output, Console.Error, interactive: !mpiRank && !Console.IsOutputRedirected, colorErrors: !mpiRank && !Console.IsErrorRedirected);
output.Flush();
return exitCode;
