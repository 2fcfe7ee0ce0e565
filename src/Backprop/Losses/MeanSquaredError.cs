using System.Numerics;

namespace Backprop.Losses;

/// <summary>Mean squared error: <c>ℓ(x, y) = (x − y)²</c>, averaged over all elements (PyTorch's <c>nn.MSELoss</c>).</summary>
/// <remarks>output <c>(B, O)</c>, target <c>(B, O)</c>. For regression; Keras' <c>mse</c> is the same.</remarks>
public sealed class MeanSquaredError<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // ℓ = (x − y)²,  ∂ℓ/∂x = 2 (x − y)
    /// <inheritdoc/>
    protected override T Evaluate(T output, T target, out T derivative)
    {
        T difference = output - target;
        derivative = difference + difference;
        return difference * difference;
    }

    /// <summary><c>MeanSquaredError()</c>.</summary>
    public override string ToString() => "MeanSquaredError()";
}
