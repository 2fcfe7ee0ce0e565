namespace Backprop.Tensors;

/// <summary>How many threads the kernels of this library may use.</summary>
/// <remarks>
/// Large matrix products are split by output tiles over a persistent pool of worker threads (see <see cref="Gemm"/>); the
/// reduction dimension is never split, so every result is bit-identical whatever <see cref="MaxThreads"/> is. Products below
/// a size threshold stay on the calling thread, where waking a worker would cost more than it saves.
/// </remarks>
public static class Parallelism
{
    private static int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Upper bound on the threads one kernel call uses, the calling thread included. Defaults to
    /// <see cref="Environment.ProcessorCount"/>; 1 keeps all work on the calling thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Volatile.Write(ref s_maxThreads, value);
        }
    }
}
