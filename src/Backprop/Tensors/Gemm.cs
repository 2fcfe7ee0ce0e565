using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Tensors;

/// <summary>General matrix multiply on row-major spans: <c>C (+)= op(A) · op(B)</c>.</summary>
/// <remarks>
/// <para>
/// The three products of a dense layer are the three variants, so no transpose is ever materialized:
/// forward <c>Y = X · Wᵀ</c> (<see cref="MultiplyTransposedB"/>), input gradient <c>dX = dY · W</c> (<see cref="Multiply"/>),
/// weight gradient <c>dW += dYᵀ · X</c> (<see cref="MultiplyTransposedA"/>).
/// </para>
/// <para>
/// Small products (fewer than <see cref="DirectThreshold"/> multiply-adds, or <c>M</c> or <c>N</c> ≤ 2, as in per-sample
/// training) take a direct loop with no set-up. Larger ones go through a packed, cache-blocked kernel with a register-blocked
/// SIMD micro-kernel (<c>GemmPacked</c>), split by output tiles over up to <see cref="Parallelism.MaxThreads"/> threads when
/// they have at least <see cref="ParallelThreshold"/> multiply-adds. Which path runs depends only on the shape, and threads
/// never split the sum over <c>K</c>, so results are bit-identical whatever the thread count. <see cref="GemmReference"/> is
/// the scalar definition every path is tested against.
/// </para>
/// <para>
/// The two paths sum each element in different orders, so a row of <c>C</c> can differ in its last bits with <c>M</c> when
/// <c>M</c> moves the product across the threshold. Training does not mind (its batches have a fixed size), but a prediction
/// must not depend on how many rows are predicted with it: the forward products take <c>batchInvariant</c>, set at inference,
/// which chooses by <c>N</c> and <c>K</c> alone: packed unless <c>N</c> ≤ 2 (a few rows pay the packing, microseconds).
/// </para>
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>Products with fewer multiply-adds (<c>M·N·K</c>) than this take the direct, unpacked path.</summary>
    public const long DirectThreshold = 16 * 1024;

    /// <summary>Products with fewer multiply-adds than this stay on the calling thread.</summary>
    public const long ParallelThreshold = 1L << 20;

    // c (M, N) (+)= a (M, K) · b (K, N)
    /// <summary><c>C (M, N) = A (M, K) · B (K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        fixed (T* pc = c, pa = a, pb = b)
        {
            Run(new GemmProblem<T>
            {
                C = pc, Ldc = n, M = m, N = n, K = k, Accumulate = accumulate,
                A = pa, ARowStride = k, AColumnStride = 1,
                B = pb, BRowStride = n, BColumnStride = 1,
            });
        }
    }

    // c (M, N) (+)= a (M, K) · bᵀ, b is (N, K)
    /// <summary><c>C (M, N) = A (M, K) · Bᵀ</c> with <c>B</c> stored <c>(N, K)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedB<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        fixed (T* pc = c, pa = a, pb = b)
        {
            Run(TransposedB(pc, pa, pb, m, n, k, accumulate, null, relu: false));
        }
    }

    // c (M, N) = a (M, K) · bᵀ + bias, b is (N, K), bias (N) added to every row; then max(c, 0) if relu
    /// <summary>
    /// <c>C (M, N) = A (M, K) · Bᵀ + bias</c> with <c>B</c> stored <c>(N, K)</c> and <paramref name="bias"/> <c>(N)</c> added to
    /// every row, then <c>C = max(C, 0)</c> when <paramref name="relu"/>: a dense layer's forward pass with the bias (and
    /// activation) applied as the kernel stores <c>C</c>, not in a second pass over it. With <paramref name="batchInvariant"/>
    /// the kernel is chosen by <c>N</c> and <c>K</c> alone, so that each row of <c>C</c> is the same bits whatever <c>M</c> is
    /// (inference); without, by the whole shape, the fastest for training's batches.
    /// </summary>
    public static void MultiplyTransposedBAddBias<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias,
        int m, int n, int k, bool relu = false, bool batchInvariant = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        if (bias.Length < n)
        {
            throw new ArgumentException($"Expected a bias of {n} values. Received: {bias.Length}.", nameof(bias));
        }
        fixed (T* pc = c, pa = a, pb = b, pbias = bias)
        {
            GemmProblem<T> problem = TransposedB(pc, pa, pb, m, n, k, accumulate: false, pbias, relu);
            problem.BatchInvariant = batchInvariant;
            Run(problem);
        }
    }

    // c (M, N) (+)= aᵀ · b, a is (K, M), b is (K, N)
    /// <summary><c>C (M, N) = Aᵀ · B</c> with <c>A</c> stored <c>(K, M)</c> and <c>B</c> stored <c>(K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedA<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        fixed (T* pc = c, pa = a, pb = b)
        {
            Run(new GemmProblem<T>
            {
                C = pc, Ldc = n, M = m, N = n, K = k, Accumulate = accumulate,
                A = pa, ARowStride = 1, AColumnStride = m,
                B = pb, BRowStride = n, BColumnStride = 1,
            });
        }
    }

    // c (M, N), rows ldc apart, (+)= a (M, K) · b (K, N) (+ bias), a and b read through their strides: a column block of wider rows
    /// <summary>
    /// <c>C (M, N) = A (M, K) · B (K, N) + bias</c> (or <c>+=</c> when <paramref name="accumulate"/>), each operand addressed
    /// through strides: element <c>(i, j)</c> of <c>C</c> is <c>c[i·ldc + j]</c>, of <c>A</c> <c>a[i·aRowStride + p·aColumnStride]</c>,
    /// of <c>B</c> <c>b[p·bRowStride + j·bColumnStride]</c>. For products over column blocks of wider matrices (the groups of
    /// <see cref="Layers.GroupedDense{T}"/>) without copying them out and back. <c>B</c>'s rows must be contiguous
    /// (<paramref name="bColumnStride"/> 1), or else its columns and <c>A</c>'s rows (the two layouts of a dot product).
    /// <paramref name="relu"/> stores <c>max(C, 0)</c>, as <see cref="MultiplyTransposedBAddBias"/> does.
    /// </summary>
    internal static void MultiplyStrided<T>(Span<T> c, nint ldc, ReadOnlySpan<T> a, nint aRowStride, nint aColumnStride,
        ReadOnlySpan<T> b, nint bRowStride, nint bColumnStride, int m, int n, int k, bool accumulate, ReadOnlySpan<T> bias = default,
        bool batchInvariant = false, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((m | n | k) < 0 || ldc < n || Math.Min(aRowStride, aColumnStride) < 0 || Math.Min(bRowStride, bColumnStride) < 0
            || (bColumnStride != 1 && (bRowStride != 1 || aColumnStride != 1)) || (!bias.IsEmpty && bias.Length < n)
            || (m > 0 && n > 0 && (long)(m - 1) * ldc + n > c.Length)
            || (m > 0 && k > 0 && (long)(m - 1) * aRowStride + (long)(k - 1) * aColumnStride >= a.Length)
            || (k > 0 && n > 0 && (long)(k - 1) * bRowStride + (long)(n - 1) * bColumnStride >= b.Length))
        {
            throw new ArgumentException($"Expected strided operands that hold C {m}×{n} (rows {ldc} apart), A {m}×{k} " +
                $"(strides {aRowStride}, {aColumnStride}) and B {k}×{n} (strides {bRowStride}, {bColumnStride}), B's rows or " +
                $"columns contiguous, and a bias of {n} or none. Received: C {c.Length}, A {a.Length}, B {b.Length}, bias {bias.Length}.");
        }
        fixed (T* pc = c, pa = a, pb = b, pbias = bias)
        {
            Run(new GemmProblem<T>
            {
                C = pc, Ldc = ldc, M = m, N = n, K = k, Accumulate = accumulate, Bias = bias.IsEmpty ? null : pbias,
                BatchInvariant = batchInvariant, Relu = relu,
                A = pa, ARowStride = aRowStride, AColumnStride = aColumnStride,
                B = pb, BRowStride = bRowStride, BColumnStride = bColumnStride,
            });
        }
    }

    // c (M, N) (+)= op(a) · op(b) (+ bias, then max(·, 0) if relu), packed, with TKernel, on the calling thread
    /// <summary>
    /// The packed path with the micro-kernel <typeparamref name="TKernel"/>, on the calling thread, whatever the product's size
    /// and this machine's vectors: the tests check every micro-kernel through it, including those the machine would not pick.
    /// </summary>
    internal static void MultiplyPacked<T, TKernel>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, ReadOnlySpan<T> bias = default, bool relu = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IMicroKernel<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        if (!bias.IsEmpty && bias.Length < n)
        {
            throw new ArgumentException($"Expected a bias of {n} values. Received: {bias.Length}.", nameof(bias));
        }
        fixed (T* pc = c, pa = a, pb = b, pbias = bias)
        {
            var problem = new GemmProblem<T>
            {
                C = pc, Ldc = n, M = m, N = n, K = k, Accumulate = accumulate, Bias = pbias, Relu = relu,
                A = pa, ARowStride = transposeA ? 1 : k, AColumnStride = transposeA ? m : 1,
                B = pb, BRowStride = transposeB ? 1 : n, BColumnStride = transposeB ? k : 1,
            };
            if (k == 0)
            {
                GemmDirect<T>.Compute(problem); // nothing to multiply: only the store of C
            }
            else
            {
                GemmPacked<T>.Compute<TKernel>(problem, 0, m, 0, n, GemmScratch<T>.Current);
            }
        }
    }

    /// <summary>
    /// Whether a product of this shape takes the direct path (no packing, one thread); when <paramref name="batchInvariant"/>,
    /// decided without <paramref name="m"/>.
    /// </summary>
    internal static bool IsDirect(int m, int n, int k, bool batchInvariant = false) =>
        !Vector128.IsHardwareAccelerated || n <= 2 || (!batchInvariant && ((long)m * n * k < DirectThreshold || m <= 2));

    // Inlined into every product (the per-sample steps call it at 5 M steps/s); the message is built only on failure.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckShapes(int cLength, int aLength, int bLength, int m, int n, int k)
    {
        if ((m | n | k) < 0 || cLength < (long)m * n || aLength < (long)m * k || bLength < (long)k * n)
        {
            ThrowBadShapes(cLength, aLength, bLength, m, n, k);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadShapes(int cLength, int aLength, int bLength, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        throw new ArgumentException(
            $"Expected C ≥ {m}×{n}, A ≥ {m}×{k}, B ≥ {k}×{n} elements. Received: C {cLength}, A {aLength}, B {bLength}.");
    }

    private static GemmProblem<T> TransposedB<T>(T* c, T* a, T* b, int m, int n, int k, bool accumulate, T* bias, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T> => new()
        {
            C = c, Ldc = n, M = m, N = n, K = k, Accumulate = accumulate, Bias = bias, Relu = relu,
            A = a, ARowStride = k, AColumnStride = 1,
            B = b, BRowStride = 1, BColumnStride = k,
        };

    private static void Run<T>(in GemmProblem<T> problem) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = problem.M, n = problem.N, k = problem.K;
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || IsDirect(m, n, k, problem.BatchInvariant))
        {
            GemmDirect<T>.Compute(problem);
            return;
        }
        // The widest accelerated vectors: AVX2 on x64, NEON (128 bits) on ARM64. 512-bit ones were no faster (docs/performance.md).
        if (Vector256.IsHardwareAccelerated)
        {
            RunPacked<T, MicroKernel<T, Vector256<T>, Vector256Ops<T>>>(problem);
        }
        else
        {
            RunPacked<T, MicroKernel<T, Vector128<T>, Vector128Ops<T>>>(problem);
        }
    }

    private static void RunPacked<T, TKernel>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IMicroKernel<T>
    {
        int m = problem.M, n = problem.N, k = problem.K;
        // Each thread packs all of the operand along the dimension it does not split: splitting columns repeats the packing
        // of A (M·K values), splitting rows that of B (K·N), so split columns when M ≤ N (and there are tiles enough).
        int rowTiles = (m + GemmPacked<T>.MR - 1) / GemmPacked<T>.MR, columnTiles = (n + TKernel.NR - 1) / TKernel.NR;
        int threads = Parallelism.MaxThreads;
        bool splitColumns = m <= n ? columnTiles >= Math.Min(threads, rowTiles) : rowTiles < Math.Min(threads, columnTiles);
        int tiles = splitColumns ? columnTiles : rowTiles;
        threads = (long)m * n * k < ParallelThreshold ? 1 : Math.Min(threads, tiles);
        if (threads <= 1)
        {
            GemmPacked<T>.Compute<TKernel>(problem, 0, m, 0, n, GemmScratch<T>.Current);
            return;
        }
        // Up to four chunks per thread, so that a descheduled thread leaves its later chunks to the others, but at least four
        // tiles per chunk, because every chunk repeats the packing of the operand it does not split.
        int chunks = Math.Min(tiles, Math.Clamp(tiles / 4, threads, 4 * threads));
        GemmJob<T, TKernel> job = GemmJob<T, TKernel>.Current;
        job.Problem = problem;
        job.SplitColumns = splitColumns;
        WorkerPool.Run(job, chunks, threads);
    }
}
