using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Mish: <c>output = x · tanh(softplus(x))</c>, <c>softplus(x) = log(1 + exp(x))</c>, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. Misra (2019); PyTorch's <c>nn.Mish</c>. Evaluated in double
/// precision for both element types, without a log or a tanh: with <c>e = exp(x)</c>,
/// <c>tanh(softplus(x)) = ((1 + e)² − 1) / ((1 + e)² + 1) = n / (n + 2)</c> where <c>n = e · (e + 2)</c>, which has no
/// cancellation for any x and keeps its relative accuracy as <c>e</c> underflows (<c>output ≈ x · exp(x)</c>). Above
/// x = 25 both <c>n / (n + 2)</c> and the derivative are 1 in double precision, so <c>output = x</c> exactly there, and
/// <c>n</c>, which would overflow above x ≈ 354, is never formed.
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
        int n = batch * InputFeatures;
        for (int k = 0; k < n; k++)
        {
            double x = double.CreateChecked(input[k]);
            output[k] = T.CreateChecked(x > Saturation ? x : x * TanhSoftplus(x));
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
        for (int k = 0; k < count; k++)
        {
            double x = double.CreateChecked(input[k]);
            double derivative = 1;
            if (!(x > Saturation))
            {
                double e = Math.Exp(x), n = e * (e + 2), t = n / (n + 2), oneMinusT = 2 / (n + 2);
                derivative = t + x * oneMinusT * (1 + t) * (e / (1 + e));
            }
            dinput[k] = doutput[k] * T.CreateChecked(derivative);
        }
    }

    // tanh(softplus(x)) = n / (n + 2), n = e · (e + 2), e = exp(x); for x ≤ 25 (n ≤ 5.2e21, no overflow).
    private static double TanhSoftplus(double x)
    {
        double e = Math.Exp(x), n = e * (e + 2);
        return n / (n + 2);
    }
}
