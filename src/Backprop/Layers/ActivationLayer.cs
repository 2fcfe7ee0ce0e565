using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Base of the elementwise layers without parameters (activations, dropout): <c>output (B, F)</c> from <c>input (B, F)</c>.</summary>
/// <remarks>Owns the bookkeeping every such layer shares (feature count, no parameters); a subclass writes only its forward and backward.</remarks>
public abstract class ActivationLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
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

    /// <inheritdoc/>
    public abstract void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training);

    /// <inheritdoc/>
    public abstract void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch);

    /// <summary>The layer's constructor arguments as they appear in <see cref="ToString"/> (empty when it has none).</summary>
    protected virtual string Arguments => "";

    /// <summary>For example <c>Tanh()  // 0 parameters</c>.</summary>
    public override string ToString() => $"{GetType().Name.Split('`')[0]}({Arguments})  // 0 parameters";
}
