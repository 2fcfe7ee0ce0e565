using System.Globalization;
using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Leaky rectified linear unit: <c>output = input if input &gt; 0, else slope · input</c>, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. Default slope 0.01, PyTorch's <c>nn.LeakyReLU</c> default
/// (Keras' <c>LeakyReLU</c> defaults to 0.3). The derivative at exactly 0 is taken as <c>slope</c>, as in PyTorch.
/// </remarks>
public sealed class LeakyRelu<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _slope;

    /// <summary>Creates the layer with <paramref name="negativeSlope"/> for negative inputs.</summary>
    public LeakyRelu(double negativeSlope = 0.01)
    {
        if (!double.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "Expected a finite slope.");
        }
        NegativeSlope = negativeSlope;
        _slope = T.CreateChecked(negativeSlope);
    }

    /// <summary>The slope applied to negative inputs.</summary>
    public double NegativeSlope { get; }

    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        for (int k = 0; k < n; k++)
        {
            T x = input[k];
            output[k] = x > T.Zero ? x : _slope * x;
        }
    }

    // forward was: output = input > 0 ? input : slope · input, so
    // dinput = doutput ⊙ (input > 0 ? 1 : slope)
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
            dinput[k] = input[k] > T.Zero ? doutput[k] : _slope * doutput[k];
        }
    }

    /// <inheritdoc/>
    protected override string Arguments => NegativeSlope.ToString(CultureInfo.InvariantCulture);
}
