using System.Numerics;

namespace Backprop.Layers;

/// <summary>The activation buffers of one <see cref="Sequential{T}"/> for batches of up to <see cref="MaxBatch"/> rows.</summary>
/// <remarks>
/// Layer <c>l</c> writes its output <c>(B, O_l)</c> into <see cref="Output"/> and the backward pass writes the gradient of that
/// output into <see cref="OutputGradient(int, int)"/>. Allocated once per run, so a training step allocates nothing.
/// One workspace serves one thread at a time.
/// </remarks>
public sealed class Workspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _outputs;
    private readonly T[][] _outputGradients;
    private readonly int[] _features;

    internal Workspace(Sequential<T> model, int maxBatch, bool gradients = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        Model = model;
        MaxBatch = maxBatch;
        int count = model.Layers.Count;
        _outputs = new T[count][];
        _outputGradients = new T[count][];
        _features = new int[count];
        for (int l = 0; l < count; l++)
        {
            _features[l] = model.Layers[l].OutputFeatures;
            _outputs[l] = new T[checked(maxBatch * _features[l])];
            // Inference (Sequential.Predict) never goes backward: no gradient buffers, half the memory.
            _outputGradients[l] = gradients ? new T[checked(maxBatch * _features[l])] : [];
        }
    }

    /// <summary>The model these buffers are shaped for.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The largest batch the buffers hold.</summary>
    public int MaxBatch { get; }

    /// <summary>Output of layer <paramref name="layer"/>, <c>(B, O_l)</c>.</summary>
    /// <remarks>
    /// After a forward pass of more than one row, a <see cref="Dense{T}"/> layer followed by a <see cref="Relu{T}"/>
    /// leaves its own output unwritten: the two run as one product, and only the ReLU's output is stored.
    /// </remarks>
    public Span<T> Output(int layer, int batch) => _outputs[layer].AsSpan(0, batch * _features[layer]);

    /// <summary>Gradient of the loss with respect to the output of layer <paramref name="layer"/>, <c>(B, O_l)</c>.</summary>
    public Span<T> OutputGradient(int layer, int batch) => _outputGradients[layer].AsSpan(0, batch * _features[layer]);

    /// <summary>
    /// Input rows gathered for a forward pass over some rows of a larger matrix <c>(B, I)</c> (the member-by-member prediction of
    /// <see cref="Sequential{T}"/>); allocated at first use, then kept.
    /// </summary>
    internal Span<T> GatheredInputs(int batch)
    {
        _gatheredInputs ??= new T[checked(MaxBatch * Model.InputFeatures)];
        return _gatheredInputs.AsSpan(0, batch * Model.InputFeatures);
    }

    private T[]? _gatheredInputs;

    /// <summary>Gradient with respect to the model's output <c>(B, O)</c>: the loss writes it, <see cref="Sequential{T}.Backward"/> reads it.</summary>
    public Span<T> LossGradient(int batch) => OutputGradient(_outputs.Length - 1, batch);
}
