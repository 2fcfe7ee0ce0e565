using System.Numerics;

namespace Backprop.Tensors;

/// <summary>A packed product cut into chunks of output tiles, for the <see cref="WorkerPool"/>.</summary>
/// <remarks>
/// Chunk <c>t</c> of <c>T</c> is a contiguous run of whole tiles along one output dimension (columns or rows), computed fully
/// by whichever thread claims it, packing its own panels. The reduction over <c>K</c> is never split, so the result does not
/// depend on the number of chunks or threads. One reusable instance per calling thread, so a call allocates nothing.
/// </remarks>
internal sealed class GemmJob<T, TKernel> : ChunkedWork
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : struct, IMicroKernel<T>
{
    [ThreadStatic]
    private static GemmJob<T, TKernel>? t_current;

    /// <summary>The product to compute.</summary>
    public GemmProblem<T> Problem;

    /// <summary>Split the columns of <c>C</c> (NR-wide tiles) rather than its rows (MR-tall tiles).</summary>
    public bool SplitColumns;

    /// <summary>This thread's reusable job.</summary>
    public static GemmJob<T, TKernel> Current => t_current ??= new GemmJob<T, TKernel>();

    /// <inheritdoc/>
    protected override void ExecuteChunk(int chunk, int chunks)
    {
        int m = Problem.M, n = Problem.N;
        if (SplitColumns)
        {
            (int first, int last) = Range(n, TKernel.NR, chunk, chunks);
            GemmPacked<T>.Compute<TKernel>(Problem, 0, m, first, last, GemmScratch<T>.Current);
        }
        else
        {
            (int first, int last) = Range(m, GemmPacked<T>.MR, chunk, chunks);
            GemmPacked<T>.Compute<TKernel>(Problem, first, last, 0, n, GemmScratch<T>.Current);
        }
    }

    // [first, last) of length: chunk part of parts, in whole tiles of tile elements, as even as whole tiles allow
    private static (int First, int Last) Range(int length, int tile, int part, int parts)
    {
        int tiles = (length + tile - 1) / tile;
        int first = (int)((long)tiles * part / parts) * tile, last = (int)((long)tiles * (part + 1) / parts) * tile;
        return (Math.Min(first, length), Math.Min(last, length));
    }
}
