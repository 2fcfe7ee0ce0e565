using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Tensors;

/// <summary>
/// The register-blocked micro-kernel of <see cref="GemmPacked{T}"/>: a tile of <c>MR × NR</c> = 6 rows × 2 vectors of C in
/// 12 vector registers (with AVX2, 6 × 16 floats or 6 × 8 doubles; with 128-bit vectors, 6 × 8 or 6 × 4).
/// </summary>
/// <remarks>
/// Written once over the vector width <typeparamref name="TOps"/>: <see cref="Gemm"/> takes <see cref="Vector256Ops{T}"/>
/// where 256-bit vectors are accelerated (x64 with AVX2; a 512-bit variant was measured slower on Zen 4) and
/// <see cref="Vector128Ops{T}"/> elsewhere (ARM64's NEON, x64 without AVX2). Each step over <c>p</c> loads two vectors of
/// the B panel, broadcasts six values of the A panel and issues 12 multiply-adds: enough independent chains to cover the
/// latency of the FMA units. Every element of C is one chain of multiply-adds over <c>p</c> in ascending order.
/// </remarks>
internal readonly unsafe struct MicroKernel<T, TVector, TOps> : IMicroKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : unmanaged
    where TOps : struct, IVectorOps<TVector, T>
{
    private const int MR = GemmPacked<T>.MR;

    /// <inheritdoc/>
    public static int NR => 2 * TOps.Count;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyRow(T* src, T* dst)
    {
        TOps.Store(TOps.Load(src), dst);
        TOps.Store(TOps.Load(src + TOps.Count), dst + TOps.Count);
    }

    // a: packed panel (kc, MR), b: packed panel (kc, NR) -> tile (MR, NR) = Σ_p a[p, :]ᵀ b[p, :];
    // then c (mr, nr) = tile (+ bias) when overwrite, else c += tile; then c = max(c, 0) when relu
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, T* a, T* b, T* c, nint ldc, int mr, int nr, T* bias, bool overwrite, bool relu)
    {
        int w = TOps.Count;
        if (Sse.IsSupported)
        {
            // Ask for the C tile now: its rows are far apart (a weight gradient's C is larger than L2), and the loads at the
            // end would otherwise stall on them. The 2w values of a row span at most two cache lines.
            for (int r = 0; r < MR; r++)
            {
                Sse.Prefetch0(c + r * ldc);
                Sse.Prefetch0(c + r * ldc + 2 * w - 1);
            }
        }
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TOps.Load(b), b1 = TOps.Load(b + w);
            TVector ai = TOps.Broadcast(a[0]);
            c00 = TOps.MultiplyAdd(ai, b0, c00);
            c01 = TOps.MultiplyAdd(ai, b1, c01);
            ai = TOps.Broadcast(a[1]);
            c10 = TOps.MultiplyAdd(ai, b0, c10);
            c11 = TOps.MultiplyAdd(ai, b1, c11);
            ai = TOps.Broadcast(a[2]);
            c20 = TOps.MultiplyAdd(ai, b0, c20);
            c21 = TOps.MultiplyAdd(ai, b1, c21);
            ai = TOps.Broadcast(a[3]);
            c30 = TOps.MultiplyAdd(ai, b0, c30);
            c31 = TOps.MultiplyAdd(ai, b1, c31);
            ai = TOps.Broadcast(a[4]);
            c40 = TOps.MultiplyAdd(ai, b0, c40);
            c41 = TOps.MultiplyAdd(ai, b1, c41);
            ai = TOps.Broadcast(a[5]);
            c50 = TOps.MultiplyAdd(ai, b0, c50);
            c51 = TOps.MultiplyAdd(ai, b1, c51);
            a += MR;
            b += 2 * w;
        }
        if (mr == MR && nr == 2 * w)
        {
            StoreRow(c, c00, c01, bias, overwrite, relu);
            StoreRow(c + ldc, c10, c11, bias, overwrite, relu);
            StoreRow(c + 2 * ldc, c20, c21, bias, overwrite, relu);
            StoreRow(c + 3 * ldc, c30, c31, bias, overwrite, relu);
            StoreRow(c + 4 * ldc, c40, c41, bias, overwrite, relu);
            StoreRow(c + 5 * ldc, c50, c51, bias, overwrite, relu);
            return;
        }
        StorePartialTile(c, ldc, mr, nr, bias, overwrite, relu, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
    }

    // A partial tile at the right or bottom edge: spill the registers and store only the (mr, nr) corner, element by element,
    // with the same arithmetic. Out of line, so that the kernel itself has no stack buffer: the native AOT compiler then kept
    // its 12 accumulators on the stack through the whole loop.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StorePartialTile(T* c, nint ldc, int mr, int nr, T* bias, bool overwrite, bool relu,
        TVector c00, TVector c01, TVector c10, TVector c11, TVector c20, TVector c21,
        TVector c30, TVector c31, TVector c40, TVector c41, TVector c50, TVector c51)
    {
        int w = TOps.Count, ld = 2 * w;
        T* tile = stackalloc T[MR * ld];
        TOps.Store(c00, tile); TOps.Store(c01, tile + w);
        TOps.Store(c10, tile + ld); TOps.Store(c11, tile + ld + w);
        TOps.Store(c20, tile + 2 * ld); TOps.Store(c21, tile + 2 * ld + w);
        TOps.Store(c30, tile + 3 * ld); TOps.Store(c31, tile + 3 * ld + w);
        TOps.Store(c40, tile + 4 * ld); TOps.Store(c41, tile + 4 * ld + w);
        TOps.Store(c50, tile + 5 * ld); TOps.Store(c51, tile + 5 * ld + w);
        for (int r = 0; r < mr; r++)
        {
            for (int j = 0; j < nr; j++)
            {
                T sum = tile[r * ld + j];
                T value = overwrite ? (bias != null ? sum + bias[j] : sum) : c[r * ldc + j] + sum;
                c[r * ldc + j] = relu && value <= T.Zero ? T.Zero : value;
            }
        }
    }

    // c (2w) = tile row (+ bias) or c + tile row; then max(·, 0) when relu
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, TVector sum0, TVector sum1, T* bias, bool overwrite, bool relu)
    {
        int w = TOps.Count;
        if (overwrite)
        {
            if (bias != null)
            {
                sum0 = TOps.Add(sum0, TOps.Load(bias));
                sum1 = TOps.Add(sum1, TOps.Load(bias + w));
            }
        }
        else
        {
            sum0 = TOps.Add(TOps.Load(c), sum0);
            sum1 = TOps.Add(TOps.Load(c + w), sum1);
        }
        if (relu)
        {
            sum0 = TOps.ClampNegativeToZero(sum0);
            sum1 = TOps.ClampNegativeToZero(sum1);
        }
        TOps.Store(sum0, c);
        TOps.Store(sum1, c + w);
    }
}
