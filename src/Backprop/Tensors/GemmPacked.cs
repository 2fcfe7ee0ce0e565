using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Tensors;

/// <summary>The packed, cache-blocked SIMD product behind <see cref="Gemm"/> (the Goto/BLIS scheme).</summary>
/// <remarks>
/// <para>Loops, outermost first, over a region <c>[m0, m1) × [n0, n1)</c> of <c>C</c>:</para>
/// <code>
/// jc: NC columns of C   ─ pack B (KC, NC) into NR-wide panels     (lives in L3 / L2)
///  pc: KC of the K sum   ─ (K is blocked so panels fit in cache; the sum over blocks is done in C)
///   ic: MC rows of C     ─ pack A (MC, KC) into MR-tall panels    (lives in L2)
///    jr: NR columns      ─ one B panel (KC, NR)                   (lives in L1)
///     ir: MR rows        ─ micro-kernel: C tile (MR, NR) += A panel · B panel, in registers
/// </code>
/// <para>
/// The micro-kernel (<see cref="MicroKernel{T, TVector, TOps}"/>, a type argument) keeps an <c>MR × NR</c> tile of <c>C</c>
/// in 12 vector registers (AVX2: 6 rows × 2 × 8 floats, or 6 × 2 × 4 doubles; half as wide with 128-bit vectors) and does one broadcast of <c>A</c> and two fused multiply-adds per row for every <c>p</c>: 12 FMAs per 2 loads of
/// <c>B</c> and 6 broadcasts, which keeps both FMA units busy. Packing makes every load of the kernel sequential and turns the
/// three layouts (plain, <c>Aᵀ</c>, <c>Bᵀ</c>) into one kernel. Partial panels are padded with zeros, and partial tiles go
/// through a small buffer, so the inner loop never branches on the edge.
/// </para>
/// <para>
/// Every element of <c>C</c> is the same chain of FMAs over <c>p</c> in ascending order, blocked by the fixed <see cref="KC"/>,
/// whichever thread computes it and wherever its tile falls: splitting <c>[m0, m1) × [n0, n1)</c> between threads never
/// changes a bit of the result.
/// </para>
/// </remarks>
internal static unsafe class GemmPacked<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 6;

    /// <summary>Depth of a K block: a B panel (KC, NR) is 16 KB in float and in double, half of L1.</summary>
    public const int KC = 256;

    /// <summary>Rows of an A block: (MC, KC) is 144 KB in float, 288 KB in double, to stay in L2 (512 KB or more per core).</summary>
    public const int MC = 144;

    /// <summary>Columns of a B block (a multiple of every NR).</summary>
    public const int NC = 3072;

    /// <summary>Computes the rows <c>[m0, m1)</c> and columns <c>[n0, n1)</c> of <paramref name="problem"/>'s <c>C</c>.</summary>
    /// <typeparam name="TKernel">The micro-kernel, which sets the tile width <c>NR</c> of the B panels.</typeparam>
    public static void Compute<TKernel>(in GemmProblem<T> problem, int m0, int m1, int n0, int n1, GemmScratch<T> scratch)
        where TKernel : struct, IMicroKernel<T>
    {
        if (m1 <= m0 || n1 <= n0)
        {
            return;
        }
        int nr = TKernel.NR, k = problem.K;
        // Locals, not fields of problem: stores through C could alias it, so the JIT would reload them in the loops.
        T* c0 = problem.C, bias0 = problem.Bias;
        nint ldc = problem.Ldc;
        bool accumulate = problem.Accumulate, applyRelu = problem.Relu;
        T* packedA = scratch.PackedA((nint)MC * KC + 8); // + 8: slack for PackA's overlapping 8-wide stores
        T* packedB = scratch.PackedB((nint)KC * RoundUp(Math.Min(NC, n1 - n0), nr));
        for (int jc = n0; jc < n1; jc += NC)
        {
            int nc = Math.Min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                PackB<TKernel>(packedB, problem, pc, jc, kc, nc);
                // The first K block writes C (plus the bias), the later ones add to it; the ReLU waits for the last.
                bool overwrite = pc == 0 && !accumulate, relu = applyRelu && pc + kc == k;
                for (int ic = m0; ic < m1; ic += MC)
                {
                    int mc = Math.Min(MC, m1 - ic);
                    PackA(packedA, problem, ic, pc, mc, kc);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        T* bias = overwrite && bias0 != null ? bias0 + jc + jr : null;
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            T* c = c0 + (ic + ir) * ldc + jc + jr;
                            TKernel.Tile(kc, packedA + ir * kc, packedB + jr * kc, c, ldc,
                                Math.Min(MR, mc - ir), Math.Min(nr, nc - jr), bias, overwrite, relu);
                        }
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // B block (kc, nc) starting at B(pc, jc) -> dst: nc/NR panels, each (kc, NR) row-major, the last one padded with zeros
    [MethodImpl(MethodImplOptions.NoInlining)] // kept out of line: packing shows separately in profiles
    private static void PackB<TKernel>(T* dst, in GemmProblem<T> problem, int pc, int jc, int kc, int nc)
        where TKernel : struct, IMicroKernel<T>
    {
        int nr = TKernel.NR;
        nint rs = problem.BRowStride, cs = problem.BColumnStride;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            T* panel = dst + (nint)jr * kc;
            T* src = problem.B + pc * rs + (jc + jr) * cs;
            if (cs == 1 && columns == nr)
            {
                // B rows are contiguous: each p is two vector copies.
                for (int p = 0; p < kc; p++)
                {
                    TKernel.CopyRow(src + p * rs, panel + p * nr);
                }
            }
            else if (rs == 1)
            {
                // Bᵀ stored (N, K): column j of B is contiguous over p; read it straight, write it strided.
                int p0 = 0;
                if (typeof(T) == typeof(float) && Avx.IsSupported && columns == nr)
                {
                    // 8 × 8 blocks through registers: the forward pass packs its weight this way every step.
                    for (; p0 <= kc - 8; p0 += 8)
                    {
                        for (int half = 0; half < nr; half += 8)
                        {
                            Transpose8x8((float*)(src + half * cs + p0), cs, (float*)(panel + p0 * nr + half), nr);
                        }
                    }
                    if (p0 == kc) continue;
                }
                for (int j = 0; j < nr; j++)
                {
                    if (j < columns)
                    {
                        T* column = src + j * cs;
                        for (int p = p0; p < kc; p++) panel[p * nr + j] = column[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) panel[p * nr + j] = T.Zero;
                    }
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    for (int j = 0; j < nr; j++) panel[p * nr + j] = j < columns ? src[p * rs + j * cs] : T.Zero;
                }
            }
        }
    }

    // src: 8 rows of 8 floats, row stride srcStride -> dst: their transpose, row stride dstStride
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride) =>
        Transpose8x8(
            Avx.LoadVector256(src), Avx.LoadVector256(src + srcStride),
            Avx.LoadVector256(src + 2 * srcStride), Avx.LoadVector256(src + 3 * srcStride),
            Avx.LoadVector256(src + 4 * srcStride), Avx.LoadVector256(src + 5 * srcStride),
            Avx.LoadVector256(src + 6 * srcStride), Avx.LoadVector256(src + 7 * srcStride), dst, dstStride);

    // rows r0..r7 (8 floats each) -> dst row q = (r0[q], …, r7[q]), row stride dstStride, written in order q = 0..7
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* dst, nint dstStride)
    {
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves: the textbook AVX 8 × 8 transpose.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    // A block (mc, kc) starting at A(ic, pc) -> dst: mc/MR panels, each (kc, MR) row-major, the last one padded with zeros
    [MethodImpl(MethodImplOptions.NoInlining)] // kept out of line: packing shows separately in profiles
    private static void PackA(T* dst, in GemmProblem<T> problem, int ic, int pc, int mc, int kc)
    {
        nint rs = problem.ARowStride, cs = problem.AColumnStride;
        for (int ir = 0; ir < mc; ir += MR)
        {
            int rows = Math.Min(MR, mc - ir);
            T* panel = dst + (nint)ir * kc;
            T* src = problem.A + (ic + ir) * rs + pc * cs;
            if (cs == 1 && rows == MR)
            {
                // A rows are contiguous: read six rows side by side.
                T* r0 = src, r1 = src + rs, r2 = src + 2 * rs, r3 = src + 3 * rs, r4 = src + 4 * rs, r5 = src + 5 * rs;
                int p0 = 0;
                if (typeof(T) == typeof(float) && Avx.IsSupported)
                {
                    // 6 rows × 8 p through an 8 × 8 transpose (rows 6 and 7 repeat row 5): each 8-wide output row lands at
                    // panel + p·6, and its 2 surplus values are overwritten by the next row (the buffer has slack for the last).
                    for (; p0 <= kc - 8; p0 += 8)
                    {
                        Vector256<float> last = Avx.LoadVector256((float*)(r5 + p0));
                        Transpose8x8(Avx.LoadVector256((float*)(r0 + p0)), Avx.LoadVector256((float*)(r1 + p0)),
                            Avx.LoadVector256((float*)(r2 + p0)), Avx.LoadVector256((float*)(r3 + p0)),
                            Avx.LoadVector256((float*)(r4 + p0)), last, last, last, (float*)(panel + p0 * MR), MR);
                    }
                }
                for (int p = p0; p < kc; p++)
                {
                    T* q = panel + p * MR;
                    q[0] = r0[p]; q[1] = r1[p]; q[2] = r2[p]; q[3] = r3[p]; q[4] = r4[p]; q[5] = r5[p];
                }
            }
            else if (rs == 1 && rows == MR)
            {
                // Aᵀ stored (K, M): the MR values of one p are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    T* q = panel + p * MR, s = src + p * cs;
                    q[0] = s[0]; q[1] = s[1]; q[2] = s[2]; q[3] = s[3]; q[4] = s[4]; q[5] = s[5];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    for (int r = 0; r < MR; r++) panel[p * MR + r] = r < rows ? src[r * rs + p * cs] : T.Zero;
                }
            }
        }
    }
}
