using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Layers;

/// <summary>
/// Cosine and sine of angles given in turns, <c>cos(2πt)</c> and <c>sin(2πt)</c>, a whole span at a time in SIMD vectors of any
/// width. <c>TensorPrimitives.Cos</c> and <c>Sin</c> compute element by element (about 15 ns each here); this is the periodic
/// embedding's hot loop.
/// </summary>
/// <remarks>
/// A whole number of turns changes nothing, so <c>t</c> is reduced to <c>r = t − round(t)</c> in <c>[−½, ½]</c> exactly; the half
/// angle <c>h = πr</c> lies in <c>[−π/2, π/2]</c>, where the Taylor series of <c>sin h</c> and <c>cos h</c> to the terms below the
/// type's precision converge fast (7 terms for float, 12 for double: the next term is under 10⁻⁸ and 10⁻¹⁷), and the double-angle
/// formulas give <c>cos 2h = 1 − 2 sin²h</c> and <c>sin 2h = 2 sin h cos h</c>. Accurate to a few units in the last place of
/// either type, tested against <see cref="Math.Cos(double)"/>.
/// </remarks>
internal static class Turns
{
    /// <summary>Writes <c>cos(2π·turns)</c> into <paramref name="cos"/> and, unless it is empty, <c>sin(2π·turns)</c> into <paramref name="sin"/>.</summary>
    /// <remarks><paramref name="cos"/> or <paramref name="sin"/> may be <paramref name="turns"/> itself.</remarks>
    public static void CosSin<T>(ReadOnlySpan<T> turns, Span<T> cos, Span<T> sin) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int terms = typeof(T) == typeof(float) ? 7 : 12;
        Span<T> sinCoefficients = stackalloc T[terms], cosCoefficients = stackalloc T[terms];
        double evenFactorial = 1; // (2n)!
        for (int n = 0; n < terms; n++)
        {
            // sin h = Σ (−1)ⁿ h^(2n+1)/(2n+1)!,  cos h = Σ (−1)ⁿ h^(2n)/(2n)!
            if (n > 0) evenFactorial *= (2 * n - 1) * (2 * n);
            double sign = n % 2 == 0 ? 1 : -1;
            cosCoefficients[n] = T.CreateChecked(sign / evenFactorial);
            sinCoefficients[n] = T.CreateChecked(sign / (evenFactorial * (2 * n + 1)));
        }
        var pi = new Vector<T>(T.Pi);
        Vector<T> one = Vector<T>.One, two = one + one;
        for (int k = 0; k < turns.Length; k += Vector<T>.Count)
        {
            Vector<T> t = Lanes.Load(turns, k);
            Vector<T> h = (t - Round(t)) * pi, u = h * h;
            Vector<T> s = new(sinCoefficients[terms - 1]), c = new(cosCoefficients[terms - 1]);
            for (int n = terms - 2; n >= 0; n--)
            {
                s = s * u + new Vector<T>(sinCoefficients[n]);
                c = c * u + new Vector<T>(cosCoefficients[n]);
            }
            s *= h;
            if (!sin.IsEmpty)
            {
                Vector<T> sine = two * s * c;
                Lanes.Store(one - two * s * s, cos, k);
                Lanes.Store(sine, sin, k);
            }
            else
            {
                Lanes.Store(one - two * s * s, cos, k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Round<T>(Vector<T> value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector.Round(value.As<T, float>()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector.Round(value.As<T, double>()).As<double, T>();
        throw new NotSupportedException($"Expected float or double. Received: {typeof(T).Name}.");
    }
}
