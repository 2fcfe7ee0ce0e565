using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>A layer: an explicit forward pass and the backward pass that differentiates it.</summary>
/// <remarks>
/// Activations are row-major <c>(B, features)</c>. A layer keeps no per-batch state of its own: the caller owns the activation
/// buffers (a <see cref="Workspace{T}"/>), so one trained model can serve predictions from many threads at once.
/// Parameters and their gradients live in the model's two contiguous blocks; a layer only holds its offset into them.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Input feature count <c>I</c> (known once <see cref="Build"/> has run).</summary>
    int InputFeatures { get; }

    /// <summary>Output feature count <c>O</c> (known once <see cref="Build"/> has run).</summary>
    int OutputFeatures { get; }

    /// <summary>Number of trainable parameters.</summary>
    int ParameterCount { get; }

    /// <summary>Connects the layer to an input of <paramref name="inputFeatures"/> features; called once by the model.</summary>
    /// <exception cref="ArgumentException">The layer cannot take that many input features.</exception>
    void Build(int inputFeatures);

    /// <summary>Points the layer at its <see cref="ParameterCount"/> elements, starting at <paramref name="offset"/>, of the model's blocks.</summary>
    void Bind(T[] parameters, T[] gradients, int offset);

    /// <summary>Draws fresh initial parameters from <paramref name="rng"/>.</summary>
    void ResetParameters(Rng rng);

    /// <summary>Computes <c>output (B, O)</c> from <c>input (B, I)</c>.</summary>
    /// <param name="output">Written, not accumulated.</param>
    /// <param name="input">The layer's input.</param>
    /// <param name="batch">Rows <c>B</c> in this call.</param>
    /// <param name="training">The run's generator while training (layers such as dropout draw from it); <see langword="null"/> at inference.</param>
    void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training);

    /// <summary>Given <c>doutput (B, O)</c>, writes <c>dinput (B, I)</c> and accumulates (<c>+=</c>) the parameter gradients.</summary>
    /// <param name="dinput">Written, not accumulated. Empty when nobody needs it (the first layer): the layer then skips that product.</param>
    /// <param name="doutput">Gradient of the loss with respect to <c>output</c>.</param>
    /// <param name="input">The input of the matching forward call.</param>
    /// <param name="output">The output of the matching forward call.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch);
}
