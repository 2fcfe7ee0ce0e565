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
        // Copied to locals: the stores through C could alias the problem struct, so the JIT would reload every field.
        int m = q.M, n = q.N, k = q.K;
        T* c = q.C, a = q.A, b = q.B, bias = q.Bias;
        nint ldc = q.Ldc, aRowStride = q.ARowStride, aColumnStride = q.AColumnStride, bRowStride = q.BRowStride;
        bool accumulate = q.Accumulate, relu = q.Relu;
        for (int i = 0; i < m; i++)
        {
            T* cRow = c + i * ldc;
            if (!accumulate)
            {
                if (bias != null) new ReadOnlySpan<T>(bias, n).CopyTo(new Span<T>(cRow, n));
                else new Span<T>(cRow, n).Clear();
            }
            T* aRow = a + i * aRowStride;
            for (int p = 0; p < k; p++)
            {
                AddScaled(cRow, b + p * bRowStride, aRow[p * aColumnStride], n);
            }
            if (relu) ClampNegativeToZero(cRow, n);
        }
    }

    // c (i, j) (+)= dot(A(i, :), B(:, j)), both contiguous over p (A row-major, B stored transposed)
    private static void DotProducts(in GemmProblem<T> q)
    {
        int m = q.M, n = q.N, k = q.K;
        T* c = q.C, a = q.A, b = q.B, bias = q.Bias;
        nint ldc = q.Ldc, aRowStride = q.ARowStride, bColumnStride = q.BColumnStride;
        bool accumulate = q.Accumulate, relu = q.Relu;
        for (int i = 0; i < m; i++)
        {
            T* cRow = c + i * ldc, aRow = a + i * aRowStride;
            for (int j = 0; j < n; j++)
            {
                T dot = Dot(aRow, b + j * bColumnStride, k);
                T value = accumulate ? cRow[j] + dot : bias != null ? bias[j] + dot : dot;
                cRow[j] = relu && value <= T.Zero ? T.Zero : value;
            }
        }
    }

    // y (n) += alpha · x (n)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddScaled(T* y, T* x, T alpha, int n)
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
        if (Vector128.IsHardwareAccelerated)
        {
            // After the 256-bit loop at most one step (the per-sample layers are 4 wide); the whole row without AVX (NEON).
            for (; j <= n - Vector128<T>.Count; j += Vector128<T>.Count)
            {
                (Vector128.Load(y + j) + Vector128.Create(alpha) * Vector128.Load(x + j)).Store(y + j);
            }
        }
        for (; j < n; j++)
        {
            y[j] += alpha * x[j];
        }
    }

    // y (n) = alpha · x (n): the first term of a sum of scaled rows, written instead of clearing y and adding
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Scale(T* y, T* x, T alpha, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            Vector256<T> scale = Vector256.Create(alpha);
            for (; j <= n - Vector256<T>.Count; j += Vector256<T>.Count)
            {
                (scale * Vector256.Load(x + j)).Store(y + j);
            }
        }
        for (; j < n; j++)
        {
            y[j] = alpha * x[j];
        }
    }

    // x (n) · y (n)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot(T* x, T* y, int n)
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
        if (Vector128.IsHardwareAccelerated && n - p >= Vector128<T>.Count)
        {
            Vector128<T> s0 = Vector128<T>.Zero;
            for (; p <= n - Vector128<T>.Count; p += Vector128<T>.Count)
            {
                s0 += Vector128.Load(x + p) * Vector128.Load(y + p);
            }
            sum += Vector128.Sum(s0);
        }
        for (; p < n; p++)
        {
            sum += x[p] * y[p];
        }
        return sum;
    }

    // y (o) = W (o, i) · x (i) + bias (o): a dense layer's forward pass for one sample
    internal static void MultiplyVectorAddBias(T* y, T* w, T* x, T* bias, int o, int i)
    {
        int r = 0;
        // Four rows at a time: each load of x serves four rows, and the four sums reduce side by side.
        for (; r <= o - 4; r += 4)
        {
            FourDotsAddBias(w + (nint)r * i, i, x, i, bias + r, y + r);
        }
        for (; r < o; r++)
        {
            y[r] = bias[r] + Dot(w + (nint)r * i, x, i);
        }
    }

    // y (4) = bias (4) + W (4 rows, stride ldw) · x (n), each row summed in exactly Dot's order (so bit-identical to it)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourDotsAddBias(T* w, nint ldw, T* x, int n, T* bias, T* y)
    {
        T* w1 = w + ldw, w2 = w1 + ldw, w3 = w2 + ldw;
        T d0 = T.Zero, d1 = T.Zero, d2 = T.Zero, d3 = T.Zero;
        int p = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (; p <= n - 2 * Vector256<T>.Count; p += 2 * Vector256<T>.Count)
            {
                Vector256<T> xp = Vector256.Load(x + p), xq = Vector256.Load(x + p + Vector256<T>.Count);
                a0 += Vector256.Load(w + p) * xp;
                b0 += Vector256.Load(w + p + Vector256<T>.Count) * xq;
                a1 += Vector256.Load(w1 + p) * xp;
                b1 += Vector256.Load(w1 + p + Vector256<T>.Count) * xq;
                a2 += Vector256.Load(w2 + p) * xp;
                b2 += Vector256.Load(w2 + p + Vector256<T>.Count) * xq;
                a3 += Vector256.Load(w3 + p) * xp;
                b3 += Vector256.Load(w3 + p + Vector256<T>.Count) * xq;
            }
            for (; p <= n - Vector256<T>.Count; p += Vector256<T>.Count)
            {
                Vector256<T> xp = Vector256.Load(x + p);
                a0 += Vector256.Load(w + p) * xp;
                a1 += Vector256.Load(w1 + p) * xp;
                a2 += Vector256.Load(w2 + p) * xp;
                a3 += Vector256.Load(w3 + p) * xp;
            }
            d0 = Vector256.Sum(a0 + b0); d1 = Vector256.Sum(a1 + b1); d2 = Vector256.Sum(a2 + b2); d3 = Vector256.Sum(a3 + b3);
        }
        if (Vector128.IsHardwareAccelerated && n - p >= Vector128<T>.Count)
        {
            Vector128<T> a0 = Vector128<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; p <= n - Vector128<T>.Count; p += Vector128<T>.Count)
            {
                Vector128<T> xp = Vector128.Load(x + p);
                a0 += Vector128.Load(w + p) * xp;
                a1 += Vector128.Load(w1 + p) * xp;
                a2 += Vector128.Load(w2 + p) * xp;
                a3 += Vector128.Load(w3 + p) * xp;
            }
            d0 += Vector128.Sum(a0); d1 += Vector128.Sum(a1); d2 += Vector128.Sum(a2); d3 += Vector128.Sum(a3);
        }
        for (; p < n; p++)
        {
            T xp = x[p];
            d0 += w[p] * xp; d1 += w1[p] * xp; d2 += w2[p] * xp; d3 += w3[p] * xp;
        }
        y[0] = bias[0] + d0; y[1] = bias[1] + d1; y[2] = bias[2] + d2; y[3] = bias[3] + d3;
    }

    // dW (o, i) += dy (o) ⊗ x (i): a dense layer's weight gradient for one sample
    internal static void AddOuterProduct(T* dw, T* dy, T* x, int o, int i)
    {
        // Rows of exactly one vector (the notebook's first layer: 4 inputs) load x once and skip AddScaled's loop tests.
        if (Vector128.IsHardwareAccelerated && i == Vector128<T>.Count)
        {
            Vector128<T> xv = Vector128.Load(x);
            for (int r = 0; r < o; r++, dw += i)
            {
                (Vector128.Load(dw) + Vector128.Create(dy[r]) * xv).Store(dw);
            }
            return;
        }
        if (Vector256.IsHardwareAccelerated && i == Vector256<T>.Count)
        {
            Vector256<T> xv = Vector256.Load(x);
            for (int r = 0; r < o; r++, dw += i)
            {
                (Vector256.Load(dw) + Vector256.Create(dy[r]) * xv).Store(dw);
            }
            return;
        }
        for (int r = 0; r < o; r++)
        {
            AddScaled(dw + (nint)r * i, x, dy[r], i);
        }
    }

    // v (n) = max(v, 0), as TensorPrimitives.Max(v, 0): a NaN stays NaN (so divergence still shows), −0 becomes +0
    internal static void ClampNegativeToZero(T* v, int n)
    {
        int j = 0;
        // Vectors, not a branch per element: the signs of activations are random, and each mispredicted branch costs ~15 cycles.
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                Vector<T> x = Vector.Load(v + j);
                Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), Vector<T>.Zero, x).Store(v + j);
            }
        }
        for (; j < n; j++)
        {
            if (v[j] <= T.Zero) v[j] = T.Zero;
        }
    }
}
