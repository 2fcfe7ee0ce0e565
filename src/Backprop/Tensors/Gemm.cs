using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Tensors;

/// <summary>General matrix multiply on row-major spans: <c>C (+)= op(A) · op(B)</c>.</summary>
/// <remarks>
/// The three products of a dense layer are the three variants, so no transpose is ever materialized:
/// forward <c>Y = X · Wᵀ</c> (<see cref="MultiplyTransposedB"/>), input gradient <c>dX = dY · W</c> (<see cref="Multiply"/>),
/// weight gradient <c>dW += dYᵀ · X</c> (<see cref="MultiplyTransposedA"/>).
/// </remarks>
public static class Gemm
{
    // c (M, N) (+)= a (M, K) · b (K, N)
    /// <summary><c>C (M, N) = A (M, K) · B (K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }
        // Row i of C is a linear combination of the rows of B: streaming B row by row keeps every access contiguous.
        for (int i = 0; i < m; i++)
        {
            Span<T> cRow = c.Slice(i * n, n);
            ReadOnlySpan<T> aRow = a.Slice(i * k, k);
            for (int p = 0; p < k; p++)
            {
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aRow[p], cRow, cRow);
            }
        }
    }

    // c (M, N) (+)= a (M, K) · bᵀ, b is (N, K)
    /// <summary><c>C (M, N) = A (M, K) · Bᵀ</c> with <c>B</c> stored <c>(N, K)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedB<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<T> aRow = a.Slice(i * k, k);
            Span<T> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                T dot = TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
                cRow[j] = accumulate ? cRow[j] + dot : dot;
            }
        }
    }

    // c (M, N) (+)= aᵀ · b, a is (K, M), b is (K, N)
    /// <summary><c>C (M, N) = Aᵀ · B</c> with <c>A</c> stored <c>(K, M)</c> and <c>B</c> stored <c>(K, N)</c>, or <c>+=</c> when <paramref name="accumulate"/>.</summary>
    public static void MultiplyTransposedA<T>(Span<T> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(c.Length, a.Length, b.Length, m, n, k);
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }
        // A sum of K outer products: row p of A times row p of B.
        for (int p = 0; p < k; p++)
        {
            ReadOnlySpan<T> aRow = a.Slice(p * m, m);
            ReadOnlySpan<T> bRow = b.Slice(p * n, n);
            for (int i = 0; i < m; i++)
            {
                Span<T> cRow = c.Slice(i * n, n);
                TensorPrimitives.MultiplyAdd(bRow, aRow[i], cRow, cRow);
            }
        }
    }

    private static void CheckShapes(int cLength, int aLength, int bLength, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (cLength < (long)m * n || aLength < (long)m * k || bLength < (long)k * n)
        {
            throw new ArgumentException(
                $"Expected C ≥ {m}×{n}, A ≥ {m}×{k}, B ≥ {k}×{n} elements. Received: C {cLength}, A {aLength}, B {bLength}.");
        }
    }
}
