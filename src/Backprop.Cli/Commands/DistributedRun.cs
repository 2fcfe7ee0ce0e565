using System.Runtime.CompilerServices;
using Backprop.Mpi;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>train --distributed mpi</c>: joins the MPI job, runs the same training on every rank, and lets rank 0 alone speak and
/// write. The MPI assembly (and the system's libmpi) is loaded only here, so a run without <c>--distributed</c> never needs it.
/// </summary>
internal static class DistributedRun
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int Mpi(TrainRequest request, TextWriter output, TextWriter notes, Func<TrainRequest, TextWriter, TextWriter, int> run)
    {
        MpiCollective mpi = MpiCollective.Start();
        bool root = mpi.Rank == 0;
        // Every rank reads the same data with the same options, so every rank would print the same lines and meet the same
        // errors: rank 0 prints them. The others draw nothing (no progress bar, plot or report) and write no file.
        TrainRequest rank = root ? request with { Collective = mpi }
            : request with { Collective = mpi, Interactive = false, Quiet = true, Json = false, Plot = null, Report = null };
        int code;
        try
        {
            code = run(rank, root ? output : TextWriter.Null, root ? notes : TextWriter.Null);
        }
        catch (OperationCanceledException)
        {
            // Every rank stopped at the same step (SIGUSR1, SIGTERM), and rank 0 has written the best model so far. The ranks
            // wait for each other before leaving: mpirun ends the whole job as soon as one rank exits with a non-zero code.
            mpi.AllGather([1.0], new double[mpi.Size]);
            if (root) throw; // it says so: "Interrupted.", exit code 130
            return Cli.Interrupted;
        }
        catch (Exception e) when (!root)
        {
            // Rank 0 says the errors every rank meets (bad data, a bad option); a rank says only an error of its own (in the
            // shards it alone reads, or a bug).
            if (e is RankFailedException own)
            {
                notes.WriteLine($"error: rank {own.Rank}: {Rendering.Printable.OneLine(own.Message)}");
            }
            else if (e is not (BackpropException or UsageException))
            {
                notes.WriteLine($"error: rank {mpi.Rank}: internal error ({e.GetType().Name}): {Rendering.Printable.OneLine(e.Message)}");
            }
            return e is UsageException ? Cli.UsageError : Cli.Failure;
        }
        // A failed rank leaves without MPI_Finalize, which would wait for ranks that may wait for it: mpirun sees its exit code
        // and ends the others. A run that succeeded everywhere finalizes everywhere.
        if (code == Cli.Success)
        {
            mpi.Dispose();
        }
        return code;
    }
}
