namespace Backprop.Optimizers;

/// <summary>A range of the parameter block whose step size is the optimizer's learning rate times <see cref="Factor"/>.</summary>
/// <remarks>
/// PyTorch's parameter groups with a learning rate each, for a block that is one array: RealMLP's per-layer rates (the
/// neural-tangent parametrization's <c>1/√fan_in</c> for weights, a tenth for biases, six times for a feature scaling) are ranges
/// of the block. Parameters outside every range step at the optimizer's rate.
/// </remarks>
/// <param name="Offset">First parameter of the range (≥ 0).</param>
/// <param name="Length">Parameters in the range (≥ 0).</param>
/// <param name="Factor">The rate's multiplier (finite, ≥ 0).</param>
public readonly record struct LearningRateScale(int Offset, int Length, double Factor);
