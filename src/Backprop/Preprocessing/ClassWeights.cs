namespace Backprop.Preprocessing;

/// <summary>Per-class weights for imbalanced classification, to pass to <see cref="Losses.SoftmaxCrossEntropy{T}"/>.</summary>
public static class ClassWeights
{
    /// <summary>
    /// scikit-learn's <c>class_weight='balanced'</c>: <c>w_c = n_samples / (n_classes · count_c)</c>, so every class carries the
    /// same total weight. <c>n_classes</c> counts the classes present in <paramref name="labels"/> (scikit-learn computes it over
    /// <c>np.unique(y)</c>); a class absent from them gets weight 0 (it has no samples to weigh).
    /// </summary>
    /// <param name="labels">Class index of each training sample.</param>
    /// <param name="classes">Number of classes <c>C</c>.</param>
    public static double[] Balanced(ReadOnlySpan<int> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var counts = new int[classes];
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Expected class indices in [0, {classes}). Received: {label}.");
            }
            counts[label]++;
        }
        int present = counts.Count(count => count > 0);
        var weights = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            weights[c] = counts[c] == 0 ? 0 : (double)labels.Length / (present * counts[c]);
        }
        return weights;
    }
}
