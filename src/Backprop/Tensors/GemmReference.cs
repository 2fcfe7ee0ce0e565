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
                    sum += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }

    // c (M, N) (+)= a (M, K) · bᵀ, b is (N, K)
    /// <summary><c>C (M, N) = A (M, K) · Bᵀ</c> with <c>B</c> stored <c>(N, K)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedB<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
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
                    sum += a[i * k + p] * b[j * k + p];
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }

    // c (M, N) (+)= aᵀ · b, a is (K, M), b is (K, N)
    /// <summary><c>C (M, N) = Aᵀ · B</c> with <c>A</c> stored <c>(K, M)</c> and <c>B</c> stored <c>(K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedA<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
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
                    sum += a[p * m + i] * b[p * n + j];
                }
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }
}
