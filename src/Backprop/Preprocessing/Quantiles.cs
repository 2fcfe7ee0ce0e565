namespace Backprop.Preprocessing;

/// <summary>Quantiles of sorted values as numpy's default computes them: linear interpolation between order statistics.</summary>
internal static class Quantiles
{
    /// <summary>
    /// The <paramref name="q"/>-quantile of <paramref name="sorted"/> (ascending, at least one value): the order statistics around
    /// position <c>q·(n − 1)</c>, interpolated linearly; also near the limits of double, where their difference overflows.
    /// </summary>
    public static double Of(ReadOnlySpan<double> sorted, double q) => At(sorted, q * (sorted.Length - 1));

    /// <summary>The value at fractional <paramref name="position"/> in <c>[0, n − 1]</c> of <paramref name="sorted"/>, as <see cref="Of"/>.</summary>
    public static double At(ReadOnlySpan<double> sorted, double position)
    {
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        double fraction = position - below, a = sorted[below], b = sorted[above];
        return double.IsFinite(b - a) ? a + fraction * (b - a) : a * (1 - fraction) + b * fraction;
    }
}
