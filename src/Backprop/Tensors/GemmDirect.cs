using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Tensors;

/// <summary>The direct path of <see cref="Gemm"/> for small products: no packing, no threads, nothing to set up.</summary>
/// <remarks>
/// Used when packing would cost as much as the arithmetic: the notebook's per-sample steps (<c>1 × 4 × 16</c>, <c>1 × 16 × 3</c>),
/// matrix–vector products (<c>M</c> = 1 or 2), and anything under a few thousand multiply-adds. Two loop shapes, chosen by
/// layout so that the inner loop is always contiguous: rows of <c>B</c> scaled and added (when <c>B</c>'s rows are contiguous),
/// or dot products (when <c>B</c> is stored transposed).
/// </remarks>
internal static unsafe class GemmDirect<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes all of <paramref name="problem"/> on the calling thread.</summary>
    public static void Compute(in GemmProblem<T> problem)
    {
        if (problem.BColumnStride == 1)
        {
            RowCombinations(problem);
        }
        else
        {
            DotProducts(problem);
        }
    }

    // c (i, :) (+)= Σ_p A(i, p) · B(p, :), B rows contiguous
    private static void RowCombinations(in GemmProblem<T> q)
    {
        int n = q.N;
        for (int i = 0; i < q.M; i++)
        {
            T* cRow = q.C + i * q.Ldc;
            if (!q.Accumulate)
            {
                if (q.Bias != null) new ReadOnlySpan<T>(q.Bias, n).CopyTo(new Span<T>(cRow, n));
                else new Span<T>(cRow, n).Clear();
            }
            T* aRow = q.A + i * q.ARowStride;
            for (int p = 0; p < q.K; p++)
            {
                AddScaled(cRow, q.B + p * q.BRowStride, aRow[p * q.AColumnStride], n);
            }
            if (q.Relu) ClampNegativeToZero(cRow, n);
        }
    }

    // c (i, j) (+)= dot(A(i, :), B(:, j)), both contiguous over p (A row-major, B stored transposed)
    private static void DotProducts(in GemmProblem<T> q)
    {
        for (int i = 0; i < q.M; i++)
        {
            T* cRow = q.C + i * q.Ldc, aRow = q.A + i * q.ARowStride;
            for (int j = 0; j < q.N; j++)
            {
                T dot = Dot(aRow, q.B + j * q.BColumnStride, q.K);
                T value = q.Accumulate ? cRow[j] + dot : q.Bias != null ? q.Bias[j] + dot : dot;
                cRow[j] = q.Relu && !(value > T.Zero) ? T.Zero : value;
            }
        }
    }

    // y (n) += alpha · x (n)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(T* y, T* x, T alpha, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            Vector256<T> scale = Vector256.Create(alpha);
            for (; j <= n - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                (Vector256.Load(y + j) + scale * Vector256.Load(x + j)).Store(y + j);
            }
        }
        for (; j < n; j++)
        {
            y[j] += alpha * x[j];
        }
    }

    // x (n) · y (n)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Dot(T* x, T* y, int n)
    {
        int p = 0;
        T sum = T.Zero;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            // Two accumulators hide the latency of the adds.
            Vector256<T> s0 = Vector256<T>.Zero, s1 = Vector256<T>.Zero;
            for (; p <= n - 2 * Vector256<T>.Count; p += 2 * Vector256<T>.Count)
            {
                s0 += Vector256.Load(x + p) * Vector256.Load(y + p);
                s1 += Vector256.Load(x + p + Vector256<T>.Count) * Vector256.Load(y + p + Vector256<T>.Count);
            }
            for (; p <= n - Vector256<T>.Count; p += Vector256<T>.Count)
            {
                s0 += Vector256.Load(x + p) * Vector256.Load(y + p);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; p < n; p++)
        {
            sum += x[p] * y[p];
        }
        return sum;
    }

    // v (n) = max(v, 0)
    private static void ClampNegativeToZero(T* v, int n)
    {
        for (int j = 0; j < n; j++)
        {
            if (!(v[j] > T.Zero)) v[j] = T.Zero;
        }
    }
}
