using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Gaussian error linear unit, exact form: <c>output = input · Φ(input) = ½ · input · (1 + erf(input / √2))</c>, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. The exact (erf) form, PyTorch's <c>nn.GELU()</c> default, not the tanh
/// approximation. <c>erf</c> comes from <see cref="SpecialFunctions.Erfc"/>, evaluated in double precision.
/// </remarks>
public sealed class Gelu<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        for (int k = 0; k < n; k++)
        {
            double x = double.CreateChecked(input[k]);
            output[k] = T.CreateChecked(x * Phi(x));
        }
    }

    // forward was: output = x · Φ(x), so
    // dinput = doutput ⊙ (Φ(x) + x · φ(x)),  φ(x) = exp(−x²/2) / √(2π)
    /// <inheritdoc/>
    public override void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int n = batch * InputFeatures;
        for (int k = 0; k < n; k++)
        {
            double x = double.CreateChecked(input[k]);
            double derivative = Phi(x) + x * InverseSqrt2Pi * Math.Exp(-0.5 * x * x);
            dinput[k] = doutput[k] * T.CreateChecked(derivative);
        }
    }

    // Φ(x) = ½ · erfc(−x/√2): through erfc, so the tail for very negative x keeps its relative accuracy.
    private static double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x * InverseSqrt2);
}
