using System.Diagnostics;

namespace Backprop.Tensors;

/// <summary>Persistent worker threads that help the calling thread through the chunks of one <see cref="ChunkedWork"/> at a time.</summary>
/// <remarks>
/// Workers are started once and live for the process (background threads), so a parallel call costs a wake-up, not a thread
/// start or a <c>Parallel.For</c> with its allocations. After a job a worker spins for a short while before it blocks, because
/// training issues products back to back and a blocked worker takes tens of microseconds to wake. The calling thread always
/// works too. If a second caller arrives while the pool is busy (two threads predicting at once), it runs its chunks alone
/// rather than waiting: the results are the same either way.
/// </remarks>
internal sealed class WorkerPool
{
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 0.2 ms
    private static WorkerPool? s_shared;
    private static readonly Lock s_sharedLock = new();

    private readonly object _signal = new();
    private int _busy;
    private int _generation;
    private ChunkedWork? _work;
    private int _helpers;

    private WorkerPool(int workers)
    {
        Workers = workers;
        for (int w = 0; w < workers; w++)
        {
            int index = w;
            var thread = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"Backprop worker {w + 1}" };
            thread.Start();
        }
    }

    /// <summary>Number of worker threads.</summary>
    public int Workers { get; }

    /// <summary>
    /// Runs all <paramref name="chunks"/> chunks of <paramref name="work"/> on this thread and up to
    /// <paramref name="threads"/> − 1 workers, and returns when every chunk is done.
    /// </summary>
    public static void Run(ChunkedWork work, int chunks, int threads)
    {
        work.Reset(chunks);
        WorkerPool? pool = threads > 1 ? Shared(threads - 1) : null;
        bool acquired = pool is not null && Interlocked.CompareExchange(ref pool._busy, 1, 0) == 0;
        try
        {
            if (acquired)
            {
                pool!.Wake(work, threads - 1);
            }
            work.RunChunks();
            work.WaitForCompletion();
        }
        finally
        {
            if (acquired)
            {
                Volatile.Write(ref pool!._busy, 0);
            }
        }
    }

    private static WorkerPool Shared(int workers)
    {
        WorkerPool? pool = Volatile.Read(ref s_shared);
        if (pool is not null && pool.Workers >= workers)
        {
            return pool;
        }
        lock (s_sharedLock)
        {
            // Grows only: the old pool's threads keep sleeping; this happens at most once per increase of MaxThreads.
            if (s_shared is null || s_shared.Workers < workers)
            {
                s_shared = new WorkerPool(Math.Max(workers, Environment.ProcessorCount - 1));
            }
            return s_shared;
        }
    }

    private void Wake(ChunkedWork work, int helpers)
    {
        lock (_signal)
        {
            _work = work;
            _helpers = helpers;
            _generation++;
            Monitor.PulseAll(_signal);
        }
    }

    private void WorkerLoop(int index)
    {
        int seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen && Stopwatch.GetTimestamp() - start < s_spinTicks)
            {
                Thread.SpinWait(30);
            }
            ChunkedWork? work;
            bool helps;
            lock (_signal)
            {
                while (_generation == seen)
                {
                    Monitor.Wait(_signal);
                }
                seen = _generation;
                work = _work;
                helps = index < _helpers;
            }
            if (helps)
            {
                work!.RunChunks();
            }
        }
    }
}
