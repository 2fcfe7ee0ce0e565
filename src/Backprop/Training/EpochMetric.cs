using System.Numerics;
using Backprop.Metrics;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>A metric the <see cref="Trainer{T}"/> records after every epoch, computed from model outputs and targets.</summary>
/// <param name="Name">Short name for display, such as <c>accuracy</c>.</param>
/// <param name="Compute">Outputs <c>(N, O)</c> and targets <c>(N, K)</c> → the value.</param>
/// <param name="HigherIsBetter">Whether larger values are better (accuracy, R²) or worse (error).</param>
public sealed record EpochMetric<T>(string Name, Func<Matrix<T>, Matrix<T>, double> Compute, bool HigherIsBetter = true)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Classification accuracy. With several outputs the prediction is the arg-max (softmax logits); with one output it is
    /// <c>output &gt; 0</c> (a logit for <see cref="Losses.BinaryCrossEntropyWithLogits{T}"/>). Targets are class indices.
    /// </summary>
    public static EpochMetric<T> Accuracy() => new("accuracy", (outputs, targets) =>
        Classification.Accuracy(ClassIndices(targets), Classification.Predict(outputs)));

    /// <summary>Coefficient of determination R² over all target columns (regression).</summary>
    public static EpochMetric<T> RSquared() => new("r2", (outputs, targets) => Regression.RSquared(targets, outputs));

    private static int[] ClassIndices(Matrix<T> targets)
    {
        var labels = new int[targets.Rows];
        for (int i = 0; i < labels.Length; i++) labels[i] = int.CreateTruncating(targets[i, 0]);
        return labels;
    }
}
