using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Logistic sigmoid: <c>output = 1 / (1 + exp(−input))</c>, elementwise.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. Outputs lie in <c>(0, 1)</c>.
/// As a last layer before a binary loss prefer <see cref="Losses.BinaryCrossEntropyWithLogits{T}"/> on raw outputs: it is stabler.
/// </remarks>
public sealed class Sigmoid<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        TensorPrimitives.Sigmoid(input[..n], output[..n]);
    }

    // forward was: output = σ(input), so
    // dinput = doutput ⊙ output ⊙ (1 − output)
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
            dinput[k] = doutput[k] * y * (T.One - y);
        }
    }
}
