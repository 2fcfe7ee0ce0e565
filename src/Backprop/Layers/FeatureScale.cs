using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Learnable per-feature scaling: <c>output = input ⊙ weight</c>, each column multiplied by its own factor.</summary>
/// <remarks>
/// input <c>(B, I)</c> → output <c>(B, I)</c>; weight <c>(I)</c>, saved as the tensor <c>weight</c>. RealMLP's "scaling layer"
/// (Holzmüller et al., 2024), placed first so the network can learn how much each standardized feature matters.
/// <see cref="ResetParameters"/> sets every factor to 1 (the identity) and draws nothing, so adding this layer leaves the
/// initial weights of every other layer exactly as they were.
/// </remarks>
public sealed class FeatureScale<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _parameters = [];
    private T[] _gradients = [];
    private int _offset;

    /// <summary>Creates a scaling layer for <paramref name="features"/> features.</summary>
    /// <remarks>The width is given here, not taken from <see cref="Build"/>, because it fixes the parameter count (as <see cref="Dense{T}"/>'s does).</remarks>
    public FeatureScale(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        InputFeatures = features;
    }

    /// <inheritdoc/>
    public int InputFeatures { get; }

    /// <inheritdoc/>
    public int OutputFeatures => InputFeatures;

    /// <inheritdoc/>
    public int ParameterCount => InputFeatures;

    /// <summary>The factors <c>(I)</c>.</summary>
    public Span<T> Weight => _parameters.AsSpan(_offset, InputFeatures);

    /// <summary>The accumulated gradient of the factors <c>(I)</c>.</summary>
    public Span<T> WeightGradient => _gradients.AsSpan(_offset, InputFeatures);

    /// <inheritdoc/>
    public void Build(int inputFeatures)
    {
        if (inputFeatures != InputFeatures)
        {
            throw new ArgumentException($"FeatureScale({InputFeatures}) expected {InputFeatures} input features. Received: {inputFeatures}.", nameof(inputFeatures));
        }
    }

    /// <inheritdoc/>
    public void Bind(T[] parameters, T[] gradients, int offset)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (offset < 0 || parameters.Length - offset < InputFeatures || gradients.Length - offset < InputFeatures)
        {
            throw new ArgumentException(
                $"Expected parameter and gradient blocks of at least {offset} + {InputFeatures} values. Received: {parameters.Length} and {gradients.Length}.");
        }
        _parameters = parameters;
        _gradients = gradients;
        _offset = offset;
    }

    /// <summary>Sets every factor to 1, so the layer starts as the identity; draws nothing from <paramref name="rng"/>.</summary>
    public void ResetParameters(Rng rng) => Weight.Fill(T.One);

    // input (B, I), weight (I) -> output (B, I)
    /// <inheritdoc/>
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int i = InputFeatures;
        ReadOnlySpan<T> s = Bound();
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Multiply(input.Slice(b * i, i), s, output.Slice(b * i, i));
        }
    }

    // forward was: output[b, :] = input[b, :] ⊙ weight, so
    // dinput[b, :] = doutput[b, :] ⊙ weight,  dweight += Σ_b doutput[b, :] ⊙ input[b, :]
    /// <inheritdoc/>
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        int i = InputFeatures;
        ReadOnlySpan<T> s = Bound();
        Span<T> ds = WeightGradient;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> dy = doutput.Slice(b * i, i);
            if (!dinput.IsEmpty)
            {
                TensorPrimitives.Multiply(dy, s, dinput.Slice(b * i, i));
            }
            // Rows are added in order, and each product is rounded before it is added (not fused), so the sum is the same
            // bits whatever the batch size or vector width.
            TensorPrimitives.MultiplyAdd(dy, input.Slice(b * i, i), ds, ds);
        }
    }

    private ReadOnlySpan<T> Bound() => _parameters.Length > 0
        ? Weight
        : throw new InvalidOperationException($"FeatureScale({InputFeatures}) has no parameters: build it into a Sequential model before running it.");

    /// <summary>For example <c>FeatureScale(8)  // 8 parameters</c>.</summary>
    public override string ToString() => $"FeatureScale({InputFeatures})  // {ParameterCount:N0} parameters";
}
