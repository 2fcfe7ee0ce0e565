namespace Backprop.Losses;

/// <summary>Which loss a tabular model is trained with.</summary>
public enum LossKind
{
    /// <summary><see cref="SoftmaxCrossEntropy{T}"/>: one output per class, softmax probabilities (the classification default).</summary>
    CrossEntropy,

    /// <summary>
    /// <see cref="BinaryCrossEntropyWithLogits{T}"/>: one sigmoid output for two classes, one per class (one-vs-rest) for more.
    /// </summary>
    BinaryCrossEntropy,

    /// <summary><see cref="MeanSquaredError{T}"/> on the standardized target (the regression default).</summary>
    MeanSquaredError,

    /// <summary><see cref="Huber{T}"/> on the standardized target: quadratic within δ, linear beyond, so outliers pull less.</summary>
    Huber,
}
