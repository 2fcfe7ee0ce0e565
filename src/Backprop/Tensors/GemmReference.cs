using System.Numerics;

namespace Backprop.Tensors;

/// <summary>The scalar reference of <see cref="Gemm"/>: three plain loops per product, no SIMD, no blocking, no threads.</summary>
/// <remarks>
/// Slow on purpose and obviously right: the tests compare every fast path of <see cref="Gemm"/> against it. Each element is the
/// dot product over <c>K</c> in ascending order, accumulated in the element type.
/// </remarks>
public static class GemmReference
{
    // c (M, N) (+)= a (M, K) · b (K, N)
    /// <summary><c>C (M, N) = A (M, K) · B (K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Compute(c, a, b, m, n, k, accumulate, aRowStride: k, aColumnStride: 1, bRowStride: n, bColumnStride: 1);

    // c (M, N) (+)= a (M, K) · bᵀ, b is (N, K)
    /// <summary><c>C (M, N) = A (M, K) · Bᵀ</c> with <c>B</c> stored <c>(N, K)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedB<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Compute(c, a, b, m, n, k, accumulate, aRowStride: k, aColumnStride: 1, bRowStride: 1, bColumnStride: k);

    // c (M, N) (+)= aᵀ · b, a is (K, M), b is (K, N)
    /// <summary><c>C (M, N) = Aᵀ · B</c> with <c>A</c> stored <c>(K, M)</c> and <c>B</c> stored <c>(K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedA<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Compute(c, a, b, m, n, k, accumulate, aRowStride: 1, aColumnStride: m, bRowStride: n, bColumnStride: 1);

    // c (i, j) (+)= Σ_p A(i, p) · B(p, j) with A(i, p) = a[i·aRowStride + p·aColumnStride], B(p, j) = b[p·bRowStride + j·bColumnStride]
    private static void Compute<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate,
        int aRowStride, int aColumnStride, int bRowStride, int bColumnStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Gemm.CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum += a[i * aRowStride + p * aColumnStride] * b[p * bRowStride + j * bColumnStride];
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }
}
