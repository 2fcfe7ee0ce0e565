using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>Builds an optimizer from a kind and the settings common to all (the estimators and the CLI use it).</summary>
public static class OptimizerFactory
{
    /// <summary>An optimizer of kind <paramref name="kind"/>.</summary>
    /// <param name="kind">SGD, Adam or AdamW.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="momentum">SGD only: momentum factor (ignored otherwise).</param>
    /// <param name="nesterov">SGD only: Nesterov momentum.</param>
    /// <param name="weightDecay">SGD and Adam: L2 penalty; AdamW: decoupled decay. Null: 0, or 0.01 for AdamW (PyTorch's defaults).</param>
    /// <param name="beta2">Adam and AdamW: the second moment's decay (PyTorch's 0.999 by default).</param>
    public static Optimizer<T> Create<T>(OptimizerKind kind, double learningRate, double momentum = 0, bool nesterov = false, double? weightDecay = null,
        double beta2 = 0.999)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        OptimizerKind.Sgd => new Sgd<T>(new SgdOptions(learningRate, momentum, Nesterov: nesterov, WeightDecay: weightDecay ?? 0)),
        OptimizerKind.Adam => new Adam<T>(new AdamOptions(learningRate, Beta2: beta2, WeightDecay: weightDecay ?? 0)),
        OptimizerKind.AdamW => new AdamW<T>(new AdamOptions(learningRate, Beta2: beta2, WeightDecay: weightDecay ?? AdamW<T>.DefaultWeightDecay)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected sgd, adam or adamw."),
    };
}
