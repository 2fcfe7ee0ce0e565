namespace Backprop.Optimizers;

/// <summary>Which optimizer <see cref="OptimizerFactory.Create"/> builds.</summary>
public enum OptimizerKind
{
    /// <summary><see cref="Sgd{T}"/>.</summary>
    Sgd,

    /// <summary><see cref="Adam{T}"/>.</summary>
    Adam,

    /// <summary><see cref="AdamW{T}"/>.</summary>
    AdamW,
}
