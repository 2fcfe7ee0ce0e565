namespace Backprop.Tensors;

/// <summary>Special functions .NET does not provide: the error function and its complement, in double precision.</summary>
/// <remarks>
/// Accurate to about 1e-15 relative (checked in the tests against reference values): a positive-term series below 2.5,
/// where nothing cancels, and the Laplace continued fraction above, where <c>erfc</c> keeps its relative accuracy deep in the tail.
/// </remarks>
public static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.12837916709551257390;
    private const double InverseSqrtPi = 0.56418958354775628695;
    private const double SeriesLimit = 2.5;

    /// <summary>The error function <c>erf(x) = 2/√π ∫₀ˣ exp(−t²) dt</c>.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        double a = Math.Abs(x);
        double result = a < SeriesLimit ? ErfSeries(a) : 1.0 - ErfcContinuedFraction(a);
        return x < 0 ? -result : result;
    }

    /// <summary>The complementary error function <c>erfc(x) = 1 − erf(x)</c>, without the cancellation of computing it that way for large x.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }
        double a = Math.Abs(x);
        double upper = a < SeriesLimit ? 1.0 - ErfSeries(a) : ErfcContinuedFraction(a);
        return x < 0 ? 2.0 - upper : upper;
    }

    // erf(x) = 2/√π · exp(−x²) · Σₙ (2x²)ⁿ · x / (1·3·…·(2n+1)), x ≥ 0: all terms positive.
    private static double ErfSeries(double x)
    {
        double twoXSquared = 2 * x * x, term = x, sum = x;
        for (int n = 1; n < 200 && term > sum * 1e-17; n++)
        {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x * x) * sum;
    }

    // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), x ≥ 2.5, evaluated from the tail up.
    private static double ErfcContinuedFraction(double x)
    {
        if (x > 27)
        {
            return 0; // exp(−x²) underflows
        }
        double fraction = x;
        for (int k = 120; k >= 1; k--)
        {
            fraction = x + 0.5 * k / fraction;
        }
        return InverseSqrtPi * Math.Exp(-x * x) / fraction;
    }
}
