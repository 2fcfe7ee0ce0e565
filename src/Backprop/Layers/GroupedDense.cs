using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>
/// <c>G</c> fully connected layers side by side, each on its own slice of the input: group <c>g</c> maps input columns
/// <c>[g·I, (g+1)·I)</c> to output columns <c>[g·O, (g+1)·O)</c>. The layers after the first of an ensemble of networks trained as
/// one (<see cref="Mlp.Create{T}"/> with several members): member <c>g</c>'s units see only member <c>g</c>'s units.
/// </summary>
/// <remarks>
/// input <c>(B, G·I)</c> → output <c>(B, G·O)</c>; weight <c>(G, O, I)</c> and bias <c>(G, O)</c>: group <c>g</c>'s weight is a
/// <see cref="Dense{T}"/> weight <c>(O, I)</c>, so <c>weight[g]</c> loads into PyTorch's <c>nn.Linear</c> unchanged. The same as
/// a dense layer whose weight is block-diagonal, without storing or multiplying the zeros. Each group is initialized as a dense
/// layer of fan-in <c>I</c>, one group after another.
/// </remarks>
public sealed class GroupedDense<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _parameters = [];
    private T[] _gradients = [];
    private int _offset;
    private readonly int _parameterCount;

    /// <summary>Creates <paramref name="groups"/> dense layers, each from <paramref name="inputsPerGroup"/> to <paramref name="outputsPerGroup"/>.</summary>
    public GroupedDense(int groups, int inputsPerGroup, int outputsPerGroup, Initialization initialization = Initialization.PyTorch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputsPerGroup);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputsPerGroup);
        long parameters = (long)groups * ((long)outputsPerGroup * inputsPerGroup + outputsPerGroup);
        if (parameters > Array.MaxLength || (long)groups * inputsPerGroup > Array.MaxLength || (long)groups * outputsPerGroup > Array.MaxLength)
        {
            throw new ArgumentException($"Expected at most {Array.MaxLength:N0} parameters in one layer. Received: {groups:N0} groups of {inputsPerGroup:N0} × {outputsPerGroup:N0} weights and biases.");
        }
        Groups = groups;
        InputsPerGroup = inputsPerGroup;
        OutputsPerGroup = outputsPerGroup;
        Initialization = initialization;
        _parameterCount = (int)parameters;
    }

    /// <summary>Groups <c>G</c>.</summary>
    public int Groups { get; }

    /// <summary>Inputs of each group <c>I</c>.</summary>
    public int InputsPerGroup { get; }

    /// <summary>Outputs of each group <c>O</c>.</summary>
    public int OutputsPerGroup { get; }

    /// <inheritdoc/>
    public int InputFeatures => Groups * InputsPerGroup;

    /// <inheritdoc/>
    public int OutputFeatures => Groups * OutputsPerGroup;

    /// <summary>How <see cref="ResetParameters"/> draws each group's weights.</summary>
    public Initialization Initialization { get; }

    /// <inheritdoc/>
    public int ParameterCount => _parameterCount;

    private int WeightsPerGroup => OutputsPerGroup * InputsPerGroup;

    /// <summary>Group <paramref name="group"/>'s weight <c>(O, I)</c>, row-major.</summary>
    public Span<T> Weight(int group) => _parameters.AsSpan(_offset + CheckGroup(group) * WeightsPerGroup, WeightsPerGroup);

    /// <summary>Group <paramref name="group"/>'s bias <c>(O)</c>.</summary>
    public Span<T> Bias(int group) => _parameters.AsSpan(_offset + Groups * WeightsPerGroup + CheckGroup(group) * OutputsPerGroup, OutputsPerGroup);

    /// <summary>The accumulated gradient of group <paramref name="group"/>'s weight <c>(O, I)</c>.</summary>
    public Span<T> WeightGradient(int group) => _gradients.AsSpan(_offset + CheckGroup(group) * WeightsPerGroup, WeightsPerGroup);

    /// <summary>The accumulated gradient of group <paramref name="group"/>'s bias <c>(O)</c>.</summary>
    public Span<T> BiasGradient(int group) => _gradients.AsSpan(_offset + Groups * WeightsPerGroup + CheckGroup(group) * OutputsPerGroup, OutputsPerGroup);

    /// <inheritdoc/>
    public void Build(int inputFeatures) => LayerChecks.Width(this, InputFeatures, inputFeatures);

    /// <inheritdoc/>
    public void Bind(T[] parameters, T[] gradients, int offset)
    {
        LayerChecks.Blocks(parameters, gradients, offset, _parameterCount);
        _parameters = parameters;
        _gradients = gradients;
        _offset = offset;
    }

    /// <inheritdoc/>
    public void ResetParameters(Rng rng)
    {
        LayerChecks.Bound(this, _parameters);
        for (int g = 0; g < Groups; g++)
        {
            Initializer.Fill(Initialization, Weight(g), Bias(g), InputsPerGroup, OutputsPerGroup, rng);
        }
    }

    // input (B, G·I), weight (G, O, I), bias (G, O) -> output (B, G·O): output[:, g] = input[:, g] · weight[g]ᵀ + bias[g]
    /// <inheritdoc/>
    public void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        LayerChecks.Bound(this, _parameters);
        LayerChecks.Length<T>(input, batch * InputFeatures, nameof(input));
        LayerChecks.Length<T>(output, batch * OutputFeatures, nameof(output));
        if (batch == 0) return;
        for (int g = 0; g < Groups; g++)
        {
            MultiplyGroup(output, input, batch, g, batchInvariant: training is null);
        }
    }

    // Each group's columns are a block of the wider rows: the product reads and writes them in place, through strides.
    private void MultiplyGroup(Span<T> output, ReadOnlySpan<T> input, int batch, int g, bool batchInvariant)
    {
        int i = InputsPerGroup, o = OutputsPerGroup;
        Gemm.MultiplyStrided(output[(g * o)..], OutputFeatures, input[(g * i)..], InputFeatures, 1, Weight(g), 1, i, batch, o, i,
            accumulate: false, Bias(g), batchInvariant);
    }

    // input (B, G·I) -> output columns [g·O, (g+1)·O) of (B, G·O), at inference
    /// <summary>
    /// Group <paramref name="group"/>'s part of <see cref="Forward"/> at inference: its output columns, the same bits as the whole
    /// layer's; the other groups' columns of <paramref name="output"/> are left as they are.
    /// </summary>
    internal void ForwardGroup(Span<T> output, ReadOnlySpan<T> input, int batch, int group)
    {
        LayerChecks.Bound(this, _parameters);
        LayerChecks.Length<T>(input, batch * InputFeatures, nameof(input));
        LayerChecks.Length<T>(output, batch * OutputFeatures, nameof(output));
        if (batch == 0) return;
        MultiplyGroup(output, input, batch, CheckGroup(group), batchInvariant: true);
    }

    // forward was: output[:, g] = input[:, g] · weight[g]ᵀ + bias[g], so for each group
    // dinput[:, g] = doutput[:, g] · weight[g],  dweight[g] += doutput[:, g]ᵀ · input[:, g],  dbias[g] += Σ_b doutput[b, g]
    /// <inheritdoc/>
    public void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        LayerChecks.Bound(this, _parameters);
        int i = InputsPerGroup, o = OutputsPerGroup, width = InputFeatures, outputs = OutputFeatures;
        LayerChecks.Length<T>(input, batch * width, nameof(input));
        LayerChecks.Length<T>(doutput, batch * outputs, nameof(doutput));
        if (!dinput.IsEmpty) LayerChecks.Length<T>(dinput, batch * width, nameof(dinput));
        if (batch == 0) return;
        for (int g = 0; g < Groups; g++)
        {
            ReadOnlySpan<T> dyg = doutput[(g * o)..];
            if (!dinput.IsEmpty)
            {
                // (B, O) · (O, I): weight[g] row-major
                Gemm.MultiplyStrided(dinput[(g * i)..], width, dyg, outputs, 1, Weight(g), i, 1, batch, i, o, accumulate: false);
            }
            // (O, B) · (B, I): doutput[:, g] read transposed
            Gemm.MultiplyStrided<T>(WeightGradient(g), i, dyg, 1, outputs, input[(g * i)..], width, 1, o, i, batch, accumulate: true);
            Span<T> dbias = BiasGradient(g);
            for (int b = 0; b < batch; b++)
            {
                TensorPrimitives.Add(dbias, dyg.Slice(b * outputs, o), dbias);
            }
        }
    }

    private int CheckGroup(int group)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(group, Groups);
        return group;
    }

    /// <summary>For example <c>GroupedDense(4 × 100 → 3)  // 1,212 parameters</c>: 4 groups of 100 inputs and 3 outputs each.</summary>
    public override string ToString() => $"GroupedDense({Groups} × {InputsPerGroup} → {OutputsPerGroup})  // {ParameterCount:N0} parameters";
}
