using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Mish: <c>output = x · tanh(softplus(x))</c>, <c>softplus(x) = log(1 + exp(x))</c>, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. Misra (2019); PyTorch's <c>nn.Mish</c>. Evaluated in T's own
/// precision with SIMD vectors, without a log or a tanh: with <c>e = exp(x)</c>,
/// <c>tanh(softplus(x)) = ((1 + e)² − 1) / ((1 + e)² + 1) = n / (n + 2)</c> where <c>n = e · (e + 2)</c>, which has no
/// cancellation for any x and keeps its relative accuracy as <c>e</c> underflows (<c>output ≈ x · exp(x)</c>). Above
/// x = 25 both <c>n / (n + 2)</c> and the derivative are 1 in double precision, so <c>output = x</c> exactly there; the
/// exponent is clamped to 25, so <c>n</c> stays under 5.2e21 and overflows in neither type. A
/// <see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/> pass into the destination is followed by one vector pass
/// that transforms it in place, so <c>output</c> must not overlap <c>input</c> (nor <c>dinput</c> the other spans), as in
/// <see cref="Sequential{T}"/>; every element gets the same operations wherever it lies in the span.
/// </remarks>
public sealed class Mish<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // Above this, 1 − t = 2 / (n + 2) < 2·exp(−50) ≈ 4e-22 and the derivative's second term x · (1 − t²) · σ(x) < 2e-20,
    // both far under half an ulp of 1 (1.1e-16): t and the derivative round to 1.
    private const double Saturation = 25;

    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int count = batch * InputFeatures;
        ReadOnlySpan<T> x = input[..count];
        Span<T> y = output[..count];
        ClampedExp(x, y);
        var saturation = new Vector<T>(T.CreateChecked(Saturation));
        var two = new Vector<T>(T.CreateChecked(2));
        for (int k = 0; k < count; k += Vector<T>.Count)
        {
            Vector<T> xk = Lanes.Load(x, k), e = Lanes.Load(y, k);
            Vector<T> n = e * (e + two);
            Lanes.Store(Vector.ConditionalSelect(Vector.GreaterThan(xk, saturation), xk, xk * (n / (n + two))), y, k);
        }
    }

    // forward was: output = x · t, t = tanh(softplus(x)), so with softplus′(x) = σ(x) and tanh′ = 1 − tanh²,
    // dinput = doutput ⊙ (t + x · (1 − t²) · σ(x))
    // where 1 − t = 2 / (n + 2) is formed directly (not as 1 minus t, which cancels for large x), and σ(x) = e / (1 + e).
    /// <inheritdoc/>
    public override void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int count = batch * InputFeatures;
        ReadOnlySpan<T> x = input[..count], dy = doutput[..count];
        Span<T> dx = dinput[..count];
        ClampedExp(x, dx);
        var saturation = new Vector<T>(T.CreateChecked(Saturation));
        var one = Vector<T>.One;
        var two = new Vector<T>(T.CreateChecked(2));
        for (int k = 0; k < count; k += Vector<T>.Count)
        {
            Vector<T> xk = Lanes.Load(x, k), e = Lanes.Load(dx, k);
            Vector<T> n = e * (e + two), t = n / (n + two), oneMinusT = two / (n + two);
            Vector<T> derivative = t + xk * oneMinusT * (one + t) * (e / (one + e));
            Lanes.Store(Lanes.Load(dy, k) * Vector.ConditionalSelect(Vector.GreaterThan(xk, saturation), one, derivative), dx, k);
        }
    }

    // destination = exp(min(x, 25)).
    private static void ClampedExp(ReadOnlySpan<T> x, Span<T> destination)
    {
        TensorPrimitives.Min(x, T.CreateChecked(Saturation), destination);
        TensorPrimitives.Exp(destination, destination);
    }
}
