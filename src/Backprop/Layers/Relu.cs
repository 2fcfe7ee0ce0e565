using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Rectified linear unit: <c>output = max(input, 0)</c>, elementwise.</summary>
/// <remarks>input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. The derivative at exactly 0 is taken as 0, as in PyTorch.</remarks>
public sealed class Relu<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public int InputFeatures { get; private set; }

    /// <inheritdoc/>
    public int OutputFeatures => InputFeatures;

    /// <inheritdoc/>
    public int ParameterCount => 0;

    /// <inheritdoc/>
    public void Build(int inputFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputFeatures);
        InputFeatures = inputFeatures;
    }

    /// <inheritdoc/>
    public void Bind(T[] parameters, T[] gradients, int offset) { }

    /// <inheritdoc/>
    public void ResetParameters(Rng rng) { }

    // input (B, F) -> output (B, F)
    /// <inheritdoc/>
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        TensorPrimitives.Max(input[..n], T.Zero, output[..n]);
    }

    // forward was: output = max(input, 0), so
    // dinput = doutput ⊙ (input > 0)
    /// <inheritdoc/>
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int n = batch * InputFeatures;
        for (int k = 0; k < n; k++)
        {
            dinput[k] = input[k] > T.Zero ? doutput[k] : T.Zero;
        }
    }

    /// <summary><c>Relu()  // 0 parameters</c>.</summary>
    public override string ToString() => "Relu()  // 0 parameters";
}
