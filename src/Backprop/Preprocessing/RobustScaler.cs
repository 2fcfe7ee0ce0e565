namespace Backprop.Preprocessing;

/// <summary>Robust scaling and smooth clipping of a numeric column (<see cref="NumericScaling.Robust"/>), after RealMLP (Holzmüller et al. 2024).</summary>
/// <remarks>
/// Quantiles are numpy's default (linear interpolation between order statistics), so a column's centre and scale are the ones
/// <c>np.median</c> and <c>np.quantile</c> give.
/// </remarks>
public static class RobustScaler
{
    /// <summary>The centre (median) and divisor of a column: the interquartile range; half the range when the quartiles agree (a mostly constant column); 1 for a constant one.</summary>
    /// <param name="values">The column's values (finite); sorted in place.</param>
    public static (double Center, double Scale) FitColumn(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return (0, 1);
        }
        values.Sort();
        double median = Quantiles.Of(values, 0.5);
        double spread = Quantiles.Of(values, 0.75) - Quantiles.Of(values, 0.25);
        if (!(spread > 0))
        {
            // Most values equal (a count that is mostly 0, an indicator): the rare others set the scale.
            spread = 0.5 * (values[^1] - values[0]);
        }
        if (!double.IsFinite(spread))
        {
            // Quartiles near the limits of double: their difference overflows, half of each does not.
            spread = 0.5 * values[^1] - 0.5 * values[0];
        }
        return (median, spread > 0 && double.IsFinite(spread) ? spread : 1);
    }

    /// <summary><c>z / √(1 + (z/3)²)</c>: close to <c>z</c> for small values, smoothly bounded by ±3 for large ones.</summary>
    public static double SmoothClip(double z)
    {
        // (z/3)² overflows beyond ~1e154, where the result is ±3 to double precision anyway.
        if (Math.Abs(z) > 1e150)
        {
            return double.IsNaN(z) ? z : 3 * Math.Sign(z);
        }
        double r = z / 3;
        return z / Math.Sqrt(1 + r * r);
    }
}
