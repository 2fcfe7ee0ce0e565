using System.Numerics;

namespace Backprop.Losses;

/// <summary>Softmax followed by cross-entropy, fused: <c>loss = −log softmax(logits)[target] = logsumexp(logits) − logits[target]</c>.</summary>
/// <remarks>
/// logits <c>(B, C)</c>, target <c>(B, 1)</c> holding class indices <c>0 .. C−1</c>.
/// Numerically stable: the row maximum is subtracted before <c>exp</c>, and the loss is computed from log-sum-exp, so it never
/// takes <c>log(0)</c> and never overflows, unlike the notebook's <c>log(softmax(x))</c>.
/// The gradient needs no separate softmax backward: <c>dlogits = (softmax(logits) − onehot(target)) / B</c>.
/// Equivalent to PyTorch's <c>nn.CrossEntropyLoss</c> with mean reduction.
/// </remarks>
public sealed class SoftmaxCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public int TargetColumns(int outputs) => 1;

    /// <inheritdoc/>
    public T Forward(ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch) =>
        Compute(Span<T>.Empty, output, target, weight, batch);

    /// <inheritdoc/>
    public T ForwardBackward(Span<T> doutput, ReadOnlySpan<T> output, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        if (doutput.Length < output.Length)
        {
            throw new ArgumentException($"Expected doutput of at least {output.Length} values. Received: {doutput.Length}.", nameof(doutput));
        }
        return Compute(doutput, output, target, weight, batch);
    }

    // logits (B, C), target (B) -> mean loss; dlogits (B, C) = (p - onehot) * w_b / Σw
    private static T Compute(Span<T> dlogits, ReadOnlySpan<T> logits, ReadOnlySpan<T> target, ReadOnlySpan<T> weight, int batch)
    {
        if (batch == 0)
        {
            return T.Zero;
        }
        int classes = logits.Length / batch;
        if (classes * batch != logits.Length || target.Length < batch || (!weight.IsEmpty && weight.Length < batch))
        {
            throw new ArgumentException(
                $"Expected logits (B, C) with B = {batch}, target (B) and weight (B) or none. Received: {logits.Length} logits, {target.Length} targets, {weight.Length} weights.");
        }
        T totalWeight = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            totalWeight += weight.IsEmpty ? T.One : weight[b];
        }
        T scale = totalWeight > T.Zero ? T.One / totalWeight : T.Zero;
        T loss = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<T> row = logits.Slice(b * classes, classes);
            int label = int.CreateSaturating(target[b]);
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(target), $"Expected class indices in [0, {classes}). Received: {target[b]} in row {b}.");
            }
            T max = row[0];
            for (int c = 1; c < classes; c++)
            {
                max = T.Max(max, row[c]);
            }
            T sum = T.Zero;
            for (int c = 0; c < classes; c++)
            {
                sum += T.Exp(row[c] - max);
            }
            T logSumExp = max + T.Log(sum);
            T w = weight.IsEmpty ? T.One : weight[b];
            loss += w * (logSumExp - row[label]);
            if (!dlogits.IsEmpty)
            {
                Span<T> drow = dlogits.Slice(b * classes, classes);
                T factor = w * scale;
                for (int c = 0; c < classes; c++)
                {
                    T p = T.Exp(row[c] - logSumExp);
                    drow[c] = (c == label ? p - T.One : p) * factor;
                }
            }
        }
        return loss * scale;
    }

    /// <summary><c>SoftmaxCrossEntropy()</c>.</summary>
    public override string ToString() => "SoftmaxCrossEntropy()";
}
