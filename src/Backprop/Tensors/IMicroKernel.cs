using System.Numerics;

namespace Backprop.Tensors;

/// <summary>A register-blocked micro-kernel of <see cref="GemmPacked{T}"/> (<see cref="MicroKernel{T, TVector, TOps}"/> at one vector width).</summary>
/// <remarks>
/// Static abstract members, and the kernel passed as a struct type argument, so that the JIT compiles one copy of the packed
/// product per kernel with the tile width a constant and the micro-kernel inlined: no call through an interface at run time.
/// </remarks>
internal unsafe interface IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns of the register tile (and width of a packed B panel): two vectors.</summary>
    static abstract int NR { get; }

    /// <summary>dst (NR) = src (NR): one row of a B panel whose columns are contiguous.</summary>
    static abstract void CopyRow(T* src, T* dst);

    /// <summary>
    /// Tile <c>(MR, NR)</c> = Σ_p a[p, :]ᵀ b[p, :] over the packed panels a (kc, MR) and b (kc, NR); then
    /// c (mr, nr) = tile (+ bias) when <paramref name="overwrite"/>, else c += tile; then c = max(c, 0) when <paramref name="relu"/>.
    /// </summary>
    static abstract void Tile(int kc, T* a, T* b, T* c, nint ldc, int mr, int nr, T* bias, bool overwrite, bool relu);
}
