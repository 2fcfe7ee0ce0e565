using System.Numerics;

namespace Backprop.Losses;

/// <summary>Sigmoid and binary cross-entropy fused, on raw outputs (logits): <c>ℓ(x, y) = −y log σ(x) − (1 − y) log(1 − σ(x))</c>.</summary>
/// <remarks>
/// output <c>(B, O)</c> logits, target <c>(B, O)</c> in <c>[0, 1]</c>. Serves a two-class problem with one output (target: the
/// class index 0 or 1) and multi-label problems with one output per label. Computed in the stable form
/// <c>max(x, 0) − x·y + log(1 + exp(−|x|))</c>, which never overflows nor takes <c>log(0)</c>; the gradient is <c>σ(x) − y</c>.
/// PyTorch's <c>nn.BCEWithLogitsLoss</c> (mean over all elements; no <c>pos_weight</c>: use per-sample weights instead).
/// </remarks>
public sealed class BinaryCrossEntropyWithLogits<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // ℓ = max(x, 0) − x·y + log(1 + exp(−|x|)),  ∂ℓ/∂x = σ(x) − y
    /// <inheritdoc/>
    protected override T Evaluate(T output, T target, out T derivative)
    {
        T e = T.Exp(-T.Abs(output)); // in (0, 1]: no overflow
        T sigmoid = output >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
        derivative = sigmoid - target;
        return T.Max(output, T.Zero) - output * target + T.LogP1(e);
    }

    /// <summary><c>BinaryCrossEntropyWithLogits()</c>.</summary>
    public override string ToString() => "BinaryCrossEntropyWithLogits()";
}
