using System.Numerics;

namespace Backprop.Losses;

/// <summary>A loss: the mean over a batch of a per-sample loss of the model's output, and its gradient.</summary>
/// <remarks>
/// output <c>(B, O)</c>, target <c>(B, K)</c> with <c>K = </c><see cref="TargetColumns"/>, optional per-sample weight <c>(B)</c>.
/// With weights the reduction is <c>Σ wᵢ·lossᵢ / Σ wᵢ</c> (PyTorch's weighted mean); without, the plain mean.
/// </remarks>
public interface ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns <c>K</c> of the target for a model with <paramref name="outputs"/> outputs (a class index: 1).</summary>
    int TargetColumns(int outputs);

    /// <summary>The batch loss, without a gradient (for evaluation).</summary>
    /// <param name="output">Model output <c>(B, O)</c>.</param>
    /// <param name="target">Target <c>(B, K)</c>.</param>
    /// <param name="weight">Per-sample weight <c>(B)</c>, or empty for uniform weights.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    T Forward(ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch);

    /// <summary>The batch loss, and its gradient with respect to <paramref name="output"/> written into <paramref name="doutput"/>.</summary>
    /// <param name="doutput">Written, <c>(B, O)</c>: <c>∂loss/∂output</c>, already divided by the batch weight.</param>
    /// <param name="output">Model output <c>(B, O)</c>.</param>
    /// <param name="target">Target <c>(B, K)</c>.</param>
    /// <param name="weight">Per-sample weight <c>(B)</c>, or empty for uniform weights.</param>
    /// <param name="batch">Rows <c>B</c>.</param>
    T ForwardBackward(Span<T> doutput, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch);
}
