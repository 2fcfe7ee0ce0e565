using System.Numerics;

namespace Backprop.Tensors;

/// <summary>The shared operand of a parallel product, packed one K block per chunk by the <see cref="WorkerPool"/>.</summary>
/// <remarks>
/// A product split by columns reads all of A in every chunk (by rows, all of B), so that operand is packed once, before the
/// chunks of the <see cref="GemmJob{T}"/> run; for a large product its packing is itself split, by K blocks, which have
/// separate destinations. One reusable instance per calling thread, so a call allocates nothing.
/// </remarks>
internal sealed unsafe class GemmPackJob<T> : ChunkedWork where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static GemmPackJob<T>? t_current;

    /// <summary>The product whose operand is packed.</summary>
    public GemmProblem<T> Problem;

    /// <summary>Pack A (true) or B (false).</summary>
    public bool PackA;

    /// <summary>The destination, of <see cref="GemmPacked{T}.SharedLength"/> values.</summary>
    public T* Destination;

    /// <summary>This thread's reusable job.</summary>
    public static GemmPackJob<T> Current => t_current ??= new GemmPackJob<T>();

    /// <inheritdoc/>
    protected override void ExecuteChunk(int chunk, int chunks) => GemmPacked<T>.PackShared(Destination, Problem, PackA, chunk);
}
