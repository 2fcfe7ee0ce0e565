using System.Diagnostics;

namespace Backprop.Tensors;

/// <summary>A piece of work split into parts that may run on different threads at once.</summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; parts must not write the same memory.</summary>
    void Execute(int part, int parts);
}

/// <summary>Persistent worker threads that run the parts of one <see cref="IParallelWork"/> at a time.</summary>
/// <remarks>
/// Workers are started once and live for the process (background threads), so a parallel call costs a wake-up, not a thread
/// start or a <c>Parallel.For</c> with its allocations. After a job a worker spins for a short while before it blocks, because
/// training issues products back to back and a blocked worker takes tens of microseconds to wake. Part 0 always runs on the
/// calling thread. If a second caller arrives while the pool is busy (two threads predicting at once), it runs its parts
/// itself rather than waiting: the results are the same either way.
/// </remarks>
internal sealed class WorkerPool
{
    private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 0.2 ms
    private static WorkerPool? s_shared;
    private static readonly Lock s_sharedLock = new();

    private readonly object _signal = new();
    private int _busy;
    private int _generation;
    private IParallelWork? _work;
    private int _parts;
    private int _remaining;
    private Exception? _failure;

    private WorkerPool(int workers)
    {
        Workers = workers;
        for (int w = 0; w < workers; w++)
        {
            int part = w + 1;
            var thread = new Thread(() => WorkerLoop(part)) { IsBackground = true, Name = $"Backprop worker {part}" };
            thread.Start();
        }
    }

    /// <summary>Number of worker threads (parts beyond part 0 that can run concurrently).</summary>
    public int Workers { get; }

    /// <summary>Runs <paramref name="parts"/> parts of <paramref name="work"/> at once (part 0 on this thread) and returns when all are done.</summary>
    public static void Run(IParallelWork work, int parts)
    {
        if (parts <= 1)
        {
            work.Execute(0, 1);
            return;
        }
        WorkerPool pool = Shared(parts - 1);
        if (Interlocked.CompareExchange(ref pool._busy, 1, 0) != 0)
        {
            // Someone else is using the workers: do every part here, in order.
            for (int part = 0; part < parts; part++) work.Execute(part, parts);
            return;
        }
        try
        {
            pool.RunExclusive(work, parts);
        }
        finally
        {
            Volatile.Write(ref pool._busy, 0);
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

    private void RunExclusive(IParallelWork work, int parts)
    {
        lock (_signal)
        {
            _work = work;
            _parts = parts;
            _remaining = parts - 1;
            _failure = null;
            _generation++;
            Monitor.PulseAll(_signal);
        }
        // The caller runs part 0 while the workers run theirs.
        work.Execute(0, parts);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _remaining) != 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (_failure is not null)
        {
            throw new AggregateException(_failure);
        }
    }

    private void WorkerLoop(int part)
    {
        int seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen && Stopwatch.GetTimestamp() - start < s_spinTicks)
            {
                Thread.SpinWait(30);
            }
            IParallelWork? work;
            int parts;
            lock (_signal)
            {
                while (_generation == seen)
                {
                    Monitor.Wait(_signal);
                }
                seen = _generation;
                work = _work;
                parts = _parts;
            }
            if (part < parts)
            {
                try
                {
                    work!.Execute(part, parts);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
                finally
                {
                    Interlocked.Decrement(ref _remaining);
                }
            }
        }
    }
}
