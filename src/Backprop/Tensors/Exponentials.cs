using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Backprop.Tensors;

/// <summary>
/// <c>exp</c> over a span with .NET's vector routine (<see cref="Vector.Exp(Vector{float})"/>), every element through it: the last
/// partial vector is padded, not finished by the scalar <c>exp</c>. So an element's result depends on its value only, not on where
/// it falls in the span, on the span's length or on the rows computed with it.
/// </summary>
/// <remarks>
/// <see cref="Vector{T}"/> is 256 bits on every x64 machine with AVX2, with or without AVX-512, in the JIT and in Native AOT
/// (x86-64-v3), so both builds compute the same bits. The softmax losses call it once for a whole batch: a row of a few classes
/// fills no vector on its own. Measured on letter (26 classes, batches of 32 through five members): the scalar <c>expf</c> of
/// the loss's two passes was a fifth of the training thread's time.
/// </remarks>
internal static class Exponentials
{
    /// <summary>The largest of <paramref name="values"/> (not empty), the shift that keeps a log-sum-exp's exponentials finite.</summary>
    /// <remarks>
    /// <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/> is IEEE 754's maximum, as <c>T.Max</c> is (a NaN wins, +0 is above
    /// −0): one value whatever the order, so its vector pass gives a loop's fold to the bit. The fold is a chain of compares and
    /// blends, one element after another: over 26 classes it was most of a batch's softmax loss. Fewer than four values (the
    /// notebook's three classes, a sample at a time) stay in the loop: below the narrowest vector of floats, and without a call.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length >= 4) return TensorPrimitives.Max(values);
        T max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            max = T.Max(max, values[i]);
        }
        return max;
    }

    /// <summary>
    /// Values (rows × outputs) that a log-sum-exp over many rows takes through one <see cref="ExpInPlace"/> pass: 64 KB of floats,
    /// 128 KB of doubles, so the chunk stays in the first caches between its passes.
    /// </summary>
    public const int ChunkValues = 16_384;

    /// <summary>Σ values, one after another: the order is part of the result's bits (a log-sum-exp's sum of a row).</summary>
    /// <remarks>
    /// Out of line on purpose: inlined into a large method (the weighted softmax loss), the running sum lived on the stack, a
    /// store and a load per element, two thirds of that method's time over letter's 26 classes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T SumInOrder<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
        }
        return sum;
    }

    /// <summary><paramref name="values"/> ← <c>exp(values)</c>, element by element.</summary>
    public static void ExpInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            // Other element types (Half) have no vector routine: the scalar exp.
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.Exp(values[i]);
            }
            return;
        }
        int n = values.Length, k = 0;
        for (; k <= n - Vector<T>.Count; k += Vector<T>.Count)
        {
            Exp(new Vector<T>(values[k..])).CopyTo(values[k..]);
        }
        if (k < n)
        {
            ExpTail(values[k..]);
        }
    }

    // The last partial vector: padded with zeros, through the same routine, its own lanes written back.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExpTail<T>(Span<T> tail) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        lanes.Clear();
        tail.CopyTo(lanes);
        Exp(new Vector<T>(lanes)).CopyTo(lanes);
        lanes[..tail.Length].CopyTo(tail);
    }

    // float or double only (ExpInPlace checks).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Exp<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(x)))
            : Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(x)));
}
