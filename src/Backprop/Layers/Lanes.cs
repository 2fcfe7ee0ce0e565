using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Layers;

/// <summary>Whole SIMD vectors from spans, with the last partial one padded with zeros (the elementwise layers' tails).</summary>
internal static class Lanes
{
    /// <summary>The vector at <paramref name="k"/>; past the span's end its lanes are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ReadOnlySpan<T> span, int k) where T : unmanaged
    {
        if (span.Length - k >= Vector<T>.Count)
        {
            return new Vector<T>(span[k..]);
        }
        return LoadTail(span, k);
    }

    /// <summary>Writes the vector at <paramref name="k"/>, only its lanes that fall inside the span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<T> value, Span<T> span, int k) where T : unmanaged
    {
        if (span.Length - k >= Vector<T>.Count)
        {
            value.CopyTo(span[k..]);
            return;
        }
        StoreTail(value, span, k);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<T> LoadTail<T>(ReadOnlySpan<T> span, int k) where T : unmanaged
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        lanes.Clear();
        span[k..].CopyTo(lanes);
        return new Vector<T>(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreTail<T>(Vector<T> value, Span<T> span, int k) where T : unmanaged
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        value.CopyTo(lanes);
        lanes[..(span.Length - k)].CopyTo(span[k..]);
    }
}
