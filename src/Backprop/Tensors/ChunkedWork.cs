namespace Backprop.Tensors;

/// <summary>Work cut into chunks that any number of threads claim one at a time until none is left.</summary>
/// <remarks>
/// Claiming is dynamic, so a thread that the operating system does not schedule (the machine is busy) holds up at most the
/// chunk it is running: the others, the caller included, take the rest. The claim counter and the chunk count share one
/// 64-bit word changed only by compare-and-swap: a worker that wakes late, after its job has finished, sees no chunk left
/// (or, if the owner has started a new job meanwhile, claims a real chunk of that job); it can never run a chunk twice.
/// </remarks>
internal abstract class ChunkedWork
{
    private long _state; // chunks << 32 | next chunk to claim
    private int _done;
    private Exception? _failure;
    private readonly ManualResetEventSlim _completed = new(initialState: false, spinCount: 50);

    /// <summary>Runs chunk <paramref name="chunk"/> of <paramref name="chunks"/>; chunks must not write the same memory.</summary>
    protected abstract void ExecuteChunk(int chunk, int chunks);

    /// <summary>Starts a job of <paramref name="chunks"/> chunks; the previous job must be complete.</summary>
    /// <remarks>Everything the chunks read must be written before this call, which publishes it (a full fence).</remarks>
    public void Reset(int chunks)
    {
        _done = 0;
        _failure = null;
        _completed.Reset();
        Interlocked.Exchange(ref _state, (long)chunks << 32);
    }

    /// <summary>Claims and runs chunks until none is left to claim.</summary>
    public void RunChunks()
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            int next = (int)state, chunks = (int)(state >> 32);
            if (next >= chunks)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
            {
                continue;
            }
            try
            {
                ExecuteChunk(next, chunks);
            }
            catch (Exception e)
            {
                _failure ??= e;
            }
            finally
            {
                if (Interlocked.Increment(ref _done) == chunks)
                {
                    _completed.Set();
                }
            }
        }
    }

    /// <summary>Waits until every chunk has run; rethrows the first failure of any chunk.</summary>
    /// <remarks>
    /// Spins briefly, then blocks: on a busy machine the thread still running a chunk may need this core, and a spinning
    /// waiter would hold it.
    /// </remarks>
    public void WaitForCompletion()
    {
        _completed.Wait();
        if (_failure is Exception failure)
        {
            throw new AggregateException(failure);
        }
    }
}
