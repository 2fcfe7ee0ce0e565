using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Optimizers;

/// <summary>Plain stochastic gradient descent: <c>θ ← θ − lr · g</c>.</summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer with learning rate <paramref name="learningRate"/> (the notebook uses 0.01).</summary>
    public Sgd(T learningRate) : base(learningRate, stateSlots: 0) { }

    // θ (N), g (N): θ ← θ − lr · g
    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, long step) =>
        TensorPrimitives.MultiplyAdd(gradients, -LearningRate, parameters, parameters);

    /// <summary>For example <c>Sgd(lr: 0.01)</c>.</summary>
    public override string ToString() => $"Sgd(lr: {LearningRate})";
}
