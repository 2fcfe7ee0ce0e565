using System.Numerics;

namespace Backprop.Tensors;

/// <summary>The one seeded random generator of a run: xoshiro256** seeded through SplitMix64.</summary>
/// <remarks>
/// Every random draw of Backprop (initialization, shuffling, splits, dropout) goes through an <see cref="Rng"/> passed explicitly,
/// so the same seed gives bit-identical numbers on every run, machine and thread count. The whole state is four words
/// (<see cref="GetState"/>/<see cref="SetState"/>), so a resumed run can continue the same stream.
/// Not thread-safe: one generator per training run.
/// </remarks>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator whose stream is fully determined by <paramref name="seed"/>.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in <c>[0, 1)</c> with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in <c>[low, high)</c>.</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in <c>[0, maxExclusive)</c>, without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong range = (ulong)maxExclusive;
        while (true)
        {
            ulong product = Math.BigMul(NextUInt64(), range, out ulong low);
            if (low >= range || low >= (0UL - range) % range)
            {
                return (int)product;
            }
        }
    }

    /// <summary>A standard normal draw (mean 0, variance 1), by the Box–Muller transform.</summary>
    /// <remarks>One normal per two uniforms, with no cached spare, so the state stays the four words.</remarks>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log(0) is impossible
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<TValue>(Span<TValue> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A fresh random permutation of <c>0 .. count-1</c>.</summary>
    public int[] Permutation(int count)
    {
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = i;
        }
        Shuffle<int>(result);
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> distinct indices of <c>0 .. total-1</c>, ascending (a partial Fisher–Yates shuffle); all of them
    /// when <paramref name="count"/> is at least <paramref name="total"/>.
    /// </summary>
    public int[] Sample(int total, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[total];
        for (int i = 0; i < total; i++) order[i] = i;
        if (count >= total)
        {
            return order;
        }
        for (int i = 0; i < count; i++)
        {
            int j = i + NextInt(total - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return [.. order.Take(count).Order()];
    }

    /// <summary>The full generator state, to save with a checkpoint.</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3];

    /// <summary>Restores a state returned by <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0)
        {
            throw new ArgumentException("Expected four words, not all zero.", nameof(state));
        }
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
