using System.Numerics;

namespace Backprop.Losses;

/// <summary>Base of losses that compare output and target element by element: <c>loss = Σ_b w_b Σ_o ℓ(x_bo, y_bo) / (O · Σ_b w_b)</c>.</summary>
/// <remarks>
/// output <c>(B, O)</c>, target <c>(B, O)</c>, optional per-sample weight <c>(B)</c>. Without weights this is the mean over all
/// <c>B · O</c> elements, PyTorch's <c>reduction='mean'</c>. A subclass writes only <see cref="Evaluate"/>: one element's loss and
/// its derivative.
/// </remarks>
public abstract class ElementwiseLoss<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public int TargetColumns(int outputs) => outputs;

    /// <inheritdoc/>
    public T Forward(ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch) =>
        Compute(Span<T>.Empty, output, target, weight, batch);

    /// <inheritdoc/>
    public T ForwardBackward(Span<T> doutput, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        LossChecks.GradientBuffer(doutput.Length, output.Length);
        return Compute(doutput, output, target, weight, batch);
    }

    /// <summary>One element's loss <c>ℓ(x, y)</c> and its derivative <c>∂ℓ/∂x</c>.</summary>
    /// <param name="output">The model's output <c>x</c>.</param>
    /// <param name="target">The target <c>y</c>.</param>
    /// <param name="derivative"><c>∂ℓ/∂x</c>.</param>
    protected abstract T Evaluate(T output, T target, out T derivative);

    // output (B, O), target (B, O), weight (B) or none -> weighted mean loss; doutput (B, O) = ∂ℓ/∂x · w_b / (O Σw)
    private T Compute(Span<T> doutput, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        if (batch == 0)
        {
            return T.Zero;
        }
        int columns = output.Length / batch;
        if (columns * batch != output.Length || target.Length < output.Length || (!weight.IsEmpty && weight.Length < batch))
        {
            throw new ArgumentException(
                $"Expected output (B, O) with B = {batch}, target (B, O) and weight (B) or none. Received: {output.Length} outputs, {target.Length} targets, {weight.Length} weights.");
        }
        T totalWeight = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            totalWeight += weight.IsEmpty ? T.One : weight[b];
        }
        T scale = totalWeight > T.Zero ? T.One / (totalWeight * T.CreateChecked(columns)) : T.Zero;
        T loss = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            T w = weight.IsEmpty ? T.One : weight[b];
            T rowLoss = T.Zero;
            for (int k = b * columns; k < (b + 1) * columns; k++)
            {
                rowLoss += Evaluate(output[k], target[k], out T derivative);
                if (!doutput.IsEmpty)
                {
                    doutput[k] = derivative * w * scale;
                }
            }
            loss += w * rowLoss;
        }
        return loss * scale;
    }
}
