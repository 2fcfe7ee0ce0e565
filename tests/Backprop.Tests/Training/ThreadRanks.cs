using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>
/// The ranks of a data-parallel run simulated by threads of one process (the MPI implementation is tested with mpirun in
/// Cli/DistributedMpiTests): <see cref="Member.AllGather(ReadOnlySpan{double}, Span{double})"/> copies every rank's buffer into
/// every rank's, rank after rank, between two barriers.
/// </summary>
internal sealed class ThreadRanks(int size)
{
    private readonly Barrier _barrier = new(size);
    private readonly Array?[] _slots = new Array?[size];

    /// <summary>Runs <paramref name="run"/> on one thread a rank; an exception on a rank is rethrown here (on a bare thread it would end the test host).</summary>
    public static TResult[] Run<TResult>(int ranks, Func<ICollective, TResult> run)
    {
        var group = new ThreadRanks(ranks);
        var results = new TResult[ranks];
        var errors = new Exception?[ranks];
        Thread[] threads = Enumerable.Range(0, ranks).Select(r => new Thread(() =>
        {
            try
            {
                results[r] = run(new Member(group, r));
            }
            catch (Exception e)
            {
                errors[r] = e;
            }
        })).ToArray();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        if (errors.Any(e => e is not null)) throw new AggregateException(errors.OfType<Exception>());
        return results;
    }

    /// <summary>One rank.</summary>
    public sealed class Member(ThreadRanks group, int rank) : ICollective
    {
        public int Rank => rank;
        public int Size => group._slots.Length;
        public int Calls { get; private set; }
        public void AllGather(ReadOnlySpan<float> local, Span<float> all) => Gather(local, all);
        public void AllGather(ReadOnlySpan<double> local, Span<double> all) => Gather(local, all);

        private void Gather<TValue>(ReadOnlySpan<TValue> local, Span<TValue> all)
        {
            Calls++;
            group._slots[rank] = local.ToArray();
            Wait();
            for (int r = 0; r < Size; r++) ((TValue[])group._slots[r]!).CopyTo(all.Slice(r * local.Length, local.Length));
            Wait();
        }

        // A rank that left the run (an exception before a collective the others make) would leave them waiting for ever, as
        // MPI ranks would until mpirun ends the job: here the wait fails the test instead.
        private void Wait()
        {
            if (!group._barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"Rank {rank} waited 30 s for the others at a collective: one of them left the run.");
            }
        }
    }
}
