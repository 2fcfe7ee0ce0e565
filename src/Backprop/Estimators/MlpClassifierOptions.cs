namespace Backprop.Estimators;

/// <summary>Settings of <see cref="MlpClassifier{T}"/>: the shared <see cref="MlpOptions"/> plus class weighting and label smoothing.</summary>
public sealed record MlpClassifierOptions : MlpOptions
{
    /// <summary>
    /// Weigh each class by <c>n_samples / (n_classes · count_c)</c> (scikit-learn's <c>class_weight='balanced'</c>), computed on the
    /// training part. Default off. Ignored when <see cref="ClassWeights"/> is given.
    /// </summary>
    public bool BalancedClassWeights { get; init; }

    /// <summary>Explicit weight per class, in the order of the sorted class labels; null for none (default).</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Label smoothing ε of the cross-entropy, in <c>[0, 1]</c>. Default 0.</summary>
    public double LabelSmoothing { get; init; }
}
