using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Scaled exponential linear unit: <c>output = λ · x</c> for <c>x &gt; 0</c>, <c>λ · α · (exp(x) − 1)</c> otherwise, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. λ ≈ 1.0507 and α ≈ 1.6733 are the constants of Klambauer et al.
/// (2017) that make zero mean and unit variance a fixed point (PyTorch's <c>nn.SELU</c>, Keras' <c>selu</c>). The derivative at
/// exactly 0 is taken from the left, <c>λ · α</c>, as in PyTorch. Evaluated in T's own precision with SIMD vectors: a
/// <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/> pass into the destination, then one vector pass that
/// transforms it in place, so <c>output</c> must not overlap <c>input</c> (nor <c>dinput</c> the other spans), as in
/// <see cref="Sequential{T}"/>. Every element gets the same operations wherever it lies in the span: the results do not
/// depend on the batch's layout or the thread count.
/// </remarks>
public sealed class Selu<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>λ, the scale.</summary>
    public const double Lambda = 1.0507009873554804934193349852946;

    /// <summary>α, the negative saturation value before scaling.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    // Below this exp(x) − 1 is formed as the difference, which loses at most 1 / (1 − exp(−0.5)) ≈ 2.5 times exp's relative
    // error to cancellation; above it (up to 0) by the Taylor series of expm1, x · (1 + x · (1/2! + x · (1/3! + …))) (which keeps the sign of a zero), whose first omitted term relative to x,
    // 0.5^k / (k + 1)!, is under half an ulp: k = 15 in double (1.4e-18), 8 in float (1.1e-8).
    private const double SeriesBound = -0.5;

    // 1/2!, 1/3!, …, 1/16!: the Taylor coefficients of (expm1(x) − x) / x².
    private static readonly double[] SeriesCoefficients =
        [1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
         1.0 / 479001600, 1.0 / 6227020800, 1.0 / 87178291200, 1.0 / 1307674368000, 1.0 / 20922789888000];

    // The coefficients this T needs, as vectors, highest first (for Horner's scheme).
    private static readonly Vector<T>[] Series = SeriesFor(Unsafe.SizeOf<T>() <= 4 ? 7 : 14);

    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        ReadOnlySpan<T> x = input[..n];
        Span<T> y = output[..n];
        // exp(min(x, 0)): no overflow, and the positive side's value is not used.
        TensorPrimitives.Min(x, T.Zero, y);
        TensorPrimitives.Exp(y, y);
        var lambda = new Vector<T>(T.CreateChecked(Lambda));
        var lambdaAlpha = new Vector<T>(T.CreateChecked(Lambda * Alpha));
        var one = Vector<T>.One;
        var bound = new Vector<T>(T.CreateChecked(SeriesBound));
        Vector<T>[] series = Series;
        for (int k = 0; k < n; k += Vector<T>.Count)
        {
            Vector<T> xk = Lanes.Load(x, k), e = Lanes.Load(y, k);
            Vector<T> p = series[0];
            for (int i = 1; i < series.Length; i++)
            {
                p = p * xk + series[i];
            }
            Vector<T> expm1 = Vector.ConditionalSelect(Vector.GreaterThan(xk, bound), xk * (one + xk * p), e - one);
            Lanes.Store(Vector.ConditionalSelect(Vector.GreaterThan(xk, Vector<T>.Zero), lambda * xk, lambdaAlpha * expm1), y, k);
        }
    }

    // forward was: output = x > 0 ? λ · x : λ · α · (exp(x) − 1), so
    // dinput = doutput ⊙ (x > 0 ? λ : λ · α · exp(x))
    // The derivative is computed from the input, not as output + λ · α: for very negative x that sum cancels to a few
    // correct digits, while exp(x) keeps the small derivative's relative accuracy.
    /// <inheritdoc/>
    public override void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int n = batch * InputFeatures;
        ReadOnlySpan<T> x = input[..n], dy = doutput[..n];
        Span<T> dx = dinput[..n];
        TensorPrimitives.Min(x, T.Zero, dx);
        TensorPrimitives.Exp(dx, dx);
        var lambda = new Vector<T>(T.CreateChecked(Lambda));
        var lambdaAlpha = new Vector<T>(T.CreateChecked(Lambda * Alpha));
        for (int k = 0; k < n; k += Vector<T>.Count)
        {
            Vector<T> xk = Lanes.Load(x, k);
            Vector<T> derivative = Vector.ConditionalSelect(Vector.GreaterThan(xk, Vector<T>.Zero), lambda, lambdaAlpha * Lanes.Load(dx, k));
            Lanes.Store(Lanes.Load(dy, k) * derivative, dx, k);
        }
    }

    private static Vector<T>[] SeriesFor(int terms)
    {
        var series = new Vector<T>[terms];
        for (int i = 0; i < terms; i++)
        {
            series[i] = new Vector<T>(T.CreateChecked(SeriesCoefficients[terms - 1 - i]));
        }
        return series;
    }
}
