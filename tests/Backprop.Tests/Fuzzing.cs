using Backprop.Tensors;

namespace Backprop.Tests;

/// <summary>What the seeded fuzz harnesses share: the run's scale and seed, and the mutations that apply to any bytes.</summary>
internal static class Fuzzing
{
    /// <summary>BACKPROP_FUZZ_SCALE=100 multiplies the random mutations for a longer run (docs/reliability.md); 1 in dotnet test.</summary>
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("BACKPROP_FUZZ_SCALE"), out int scale) && scale > 0 ? scale : 1;

    /// <summary>
    /// <paramref name="fixedSeed"/> in dotnet test; a longer run draws a fresh one (the harness prints it, and a failure names
    /// the mutation, to reproduce).
    /// </summary>
    public static ulong Seed(ulong fixedSeed) => Scale == 1 ? fixedSeed : (ulong)DateTime.UtcNow.Ticks;

    /// <summary>A copy of <paramref name="valid"/> with 1 to <paramref name="maxFlips"/> random bits flipped.</summary>
    public static byte[] FlipBits(byte[] valid, Rng rng, int maxFlips)
    {
        byte[] file = (byte[])valid.Clone();
        int flips = 1 + rng.NextInt(maxFlips);
        for (int f = 0; f < flips; f++) file[rng.NextInt(file.Length)] ^= (byte)(1 << rng.NextInt(8));
        return file;
    }
}
