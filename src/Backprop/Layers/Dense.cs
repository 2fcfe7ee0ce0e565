using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Fully connected layer: <c>output = input · weightᵀ + bias</c>.</summary>
/// <remarks>
/// input <c>(B, I)</c> → output <c>(B, O)</c>; weight <c>(O, I)</c> and bias <c>(O)</c>, the layout of PyTorch's <c>nn.Linear</c>,
/// so saved tensors load into PyTorch unchanged. Initialized like <c>nn.Linear</c> unless told otherwise (<see cref="Initialization"/>).
/// </remarks>
public sealed class Dense<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _parameters = [];
    private T[] _gradients = [];
    private int _offset;

    /// <summary>Creates a dense layer from <paramref name="inputFeatures"/> to <paramref name="outputFeatures"/>.</summary>
    public Dense(int inputFeatures, int outputFeatures, Initialization initialization = Initialization.PyTorch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputFeatures);
        InputFeatures = inputFeatures;
        OutputFeatures = outputFeatures;
        Initialization = initialization;
    }

    /// <inheritdoc/>
    public int InputFeatures { get; }

    /// <inheritdoc/>
    public int OutputFeatures { get; }

    /// <summary>How <see cref="ResetParameters"/> draws the weights.</summary>
    public Initialization Initialization { get; }

    /// <inheritdoc/>
    public int ParameterCount => OutputFeatures * InputFeatures + OutputFeatures;

    /// <summary>The weight <c>(O, I)</c>, row-major.</summary>
    public Span<T> Weight => _parameters.AsSpan(_offset, OutputFeatures * InputFeatures);

    /// <summary>The bias <c>(O)</c>.</summary>
    public Span<T> Bias => _parameters.AsSpan(_offset + OutputFeatures * InputFeatures, OutputFeatures);

    /// <summary>The accumulated weight gradient <c>(O, I)</c>.</summary>
    public Span<T> WeightGradient => _gradients.AsSpan(_offset, OutputFeatures * InputFeatures);

    /// <summary>The accumulated bias gradient <c>(O)</c>.</summary>
    public Span<T> BiasGradient => _gradients.AsSpan(_offset + OutputFeatures * InputFeatures, OutputFeatures);

    /// <inheritdoc/>
    public void Build(int inputFeatures)
    {
        if (inputFeatures != InputFeatures)
        {
            throw new ArgumentException(
                $"{this} expected {InputFeatures} input features. Received: {inputFeatures}.", nameof(inputFeatures));
        }
    }

    /// <inheritdoc/>
    public void Bind(T[] parameters, T[] gradients, int offset)
    {
        _parameters = parameters;
        _gradients = gradients;
        _offset = offset;
    }

    /// <inheritdoc/>
    public void ResetParameters(Rng rng) => Initializer.Fill(Initialization, Weight, Bias, InputFeatures, OutputFeatures, rng);

    // input (B, I), weight (O, I), bias (O) -> output (B, O)
    /// <inheritdoc/>
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training) =>
        // The bias is added as the product is stored (a fused epilogue), not in a second pass over the output.
        Gemm.MultiplyTransposedBAddBias(output, input, Weight, Bias, batch, OutputFeatures, InputFeatures);

    // forward was: output = input · weightᵀ + bias, so
    // dinput = doutput · weight,  dweight += doutputᵀ · input,  dbias += Σ_b doutput
    /// <inheritdoc/>
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        int o = OutputFeatures, i = InputFeatures;
        if (!dinput.IsEmpty)
        {
            Gemm.Multiply(dinput, doutput, Weight, batch, i, o, accumulate: false);
        }
        Gemm.MultiplyTransposedA(WeightGradient, doutput, input, o, i, batch, accumulate: true);
        Span<T> dbias = BiasGradient;
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Add(dbias, doutput.Slice(b * o, o), dbias);
        }
    }

    /// <summary>For example <c>Dense(4 → 16)  // 80 parameters</c>.</summary>
    public override string ToString() => $"Dense({InputFeatures} → {OutputFeatures})  // {ParameterCount:N0} parameters";
}
