using System.Runtime.InteropServices;

namespace Backprop.Training;

/// <summary>
/// Bytes of any length between the ranks of a data-parallel run, over the all-gather of doubles every
/// <see cref="ICollective"/> has: what ranks exchange once before training (samples of their shards, their columns), not per step.
/// </summary>
internal static class CollectiveBytes
{
    /// <summary>Every rank's <paramref name="local"/> bytes (of any length), in rank order.</summary>
    public static byte[][] AllGather(this ICollective collective, ReadOnlySpan<byte> local)
    {
        int size = collective.Size;
        var lengths = new double[size];
        collective.AllGather([local.Length], lengths);
        // Sent as doubles of the longest length: the bytes travel as they are (an all-gather copies, it does not convert).
        int words = (int)((lengths.Max() + 7) / 8);
        var mine = new double[words];
        local.CopyTo(MemoryMarshal.AsBytes(mine.AsSpan()));
        var all = new double[words * size];
        collective.AllGather(mine, all);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(all.AsSpan());
        var result = new byte[size][];
        for (int r = 0; r < size; r++) result[r] = bytes.Slice(r * words * 8, (int)lengths[r]).ToArray();
        return result;
    }
}
