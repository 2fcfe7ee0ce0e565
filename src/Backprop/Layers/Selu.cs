using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Scaled exponential linear unit: <c>output = λ · x</c> for <c>x &gt; 0</c>, <c>λ · α · (exp(x) − 1)</c> otherwise, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. λ ≈ 1.0507 and α ≈ 1.6733 are the constants of Klambauer et al.
/// (2017) that make zero mean and unit variance a fixed point (PyTorch's <c>nn.SELU</c>, Keras' <c>selu</c>). The derivative at
/// exactly 0 is taken from the left, <c>λ · α</c>, as in PyTorch. Evaluated in double precision for both element types.
/// </remarks>
public sealed class Selu<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>λ, the scale.</summary>
    public const double Lambda = 1.0507009873554804934193349852946;

    /// <summary>α, the negative saturation value before scaling.</summary>
    public const double Alpha = 1.6732632423543772848170429916717;

    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        for (int k = 0; k < n; k++)
        {
            double x = double.CreateChecked(input[k]);
            output[k] = T.CreateChecked(x > 0 ? Lambda * x : Lambda * Alpha * ExpMinusOne(x));
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
        for (int k = 0; k < n; k++)
        {
            double x = double.CreateChecked(input[k]);
            dinput[k] = doutput[k] * T.CreateChecked(x > 0 ? Lambda : Lambda * Alpha * Math.Exp(x));
        }
    }

    // exp(x) − 1 without the cancellation of the plain difference near 0, where it would keep only the digits of x that
    // survive 1 + x (double.ExpM1 is that plain difference). Kahan's form: with u = exp(x) rounded, (u − 1) · x / log(u)
    // is accurate to a few units in the last place, because the rounding of u cancels between u − 1 and log(u).
    private static double ExpMinusOne(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        double um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }
}
