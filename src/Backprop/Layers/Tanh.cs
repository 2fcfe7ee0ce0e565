using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Hyperbolic tangent: <c>output = tanh(input)</c>, elementwise.</summary>
/// <remarks>input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. Outputs lie in <c>(−1, 1)</c>.</remarks>
public sealed class Tanh<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        TensorPrimitives.Tanh(input[..n], output[..n]);
    }

    // forward was: output = tanh(input), so
    // dinput = doutput ⊙ (1 − output²)   (the derivative read from the output: no second tanh)
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
            T y = output[k];
            dinput[k] = doutput[k] * (T.One - y * y);
        }
    }
}
