using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Metrics;

/// <summary>Metrics of a classifier.</summary>
public static class Classification
{
    /// <summary>The index of the largest value of each row of <paramref name="scores"/> <c>(N, C)</c>; ties go to the first.</summary>
    public static int[] ArgMax<T>(Matrix<T> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(scores);
        var result = new int[scores.Rows];
        for (int r = 0; r < scores.Rows; r++)
        {
            Span<T> row = scores.Row(r);
            int best = 0;
            for (int c = 1; c < row.Length; c++)
            {
                if (row[c] > row[best]) best = c;
            }
            result[r] = best;
        }
        return result;
    }

    /// <summary>Fraction of predictions equal to the true label.</summary>
    public static double Accuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        CheckLengths(actual, predicted);
        if (actual.Length == 0)
        {
            return double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] == predicted[i]) correct++;
        }
        return (double)correct / actual.Length;
    }

    /// <summary>
    /// Predicted classes from model outputs <c>(N, O)</c>: the arg-max of each row when <c>O ≥ 2</c> (softmax logits or
    /// probabilities); <c>output &gt; 0</c> when <c>O = 1</c> (a binary logit).
    /// </summary>
    public static int[] Predict<T>(Matrix<T> outputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Columns != 1)
        {
            return ArgMax(outputs);
        }
        var result = new int[outputs.Rows];
        for (int r = 0; r < result.Length; r++) result[r] = outputs[r, 0] > T.Zero ? 1 : 0;
        return result;
    }

    /// <summary>
    /// The confusion matrix <c>(C, C)</c>: entry <c>[a, p]</c> counts samples of true class <c>a</c> predicted as <c>p</c>
    /// (scikit-learn's orientation: rows are the truth).
    /// </summary>
    public static int[,] ConfusionMatrix(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        CheckLengths(actual, predicted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var matrix = new int[classes, classes];
        for (int i = 0; i < actual.Length; i++)
        {
            if ((uint)actual[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(actual), $"Expected class indices in [0, {classes}). Received: {actual[i]} and {predicted[i]} at {i}.");
            }
            matrix[actual[i], predicted[i]]++;
        }
        return matrix;
    }

    /// <summary>Precision, recall, F1 and support of every class; a ratio with a zero denominator is 0 (scikit-learn's <c>zero_division=0</c>).</summary>
    public static ClassScores[] PerClass(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        int[,] confusion = ConfusionMatrix(actual, predicted, classes);
        var scores = new ClassScores[classes];
        for (int c = 0; c < classes; c++)
        {
            int truePositives = confusion[c, c], support = 0, predictedCount = 0;
            for (int k = 0; k < classes; k++)
            {
                support += confusion[c, k];
                predictedCount += confusion[k, c];
            }
            double precision = Ratio(truePositives, predictedCount), recall = Ratio(truePositives, support);
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            scores[c] = new ClassScores(precision, recall, f1, support);
        }
        return scores;
    }

    /// <summary>Unweighted mean of the per-class F1 scores (scikit-learn's <c>f1_score(average='macro')</c>).</summary>
    public static double MacroF1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        // Sums in order, as LINQ's Average and Sum would, in loops: LINQ's generic code over doubles is compiled at first use in
        // every run that reports (docs/performance.md, "Start-up").
        ClassScores[] scores = PerClass(actual, predicted, classes);
        double sum = 0;
        foreach (ClassScores score in scores) sum += score.F1;
        return sum / scores.Length;
    }

    /// <summary>Mean of the per-class F1 scores weighted by support (scikit-learn's <c>f1_score(average='weighted')</c>).</summary>
    public static double WeightedF1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        ClassScores[] scores = PerClass(actual, predicted, classes);
        int total = 0;
        double weighted = 0;
        foreach (ClassScores score in scores)
        {
            total = checked(total + score.Support);
            weighted += score.F1 * score.Support;
        }
        return total == 0 ? double.NaN : weighted / total;
    }

    /// <summary>
    /// Balanced accuracy: the mean recall over the classes present in <paramref name="actual"/> (scikit-learn's
    /// <c>balanced_accuracy_score</c>); robust to class imbalance, unlike accuracy.
    /// </summary>
    public static double BalancedAccuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classes)
    {
        double sum = 0;
        int present = 0;
        foreach (ClassScores score in PerClass(actual, predicted, classes))
        {
            if (score.Support == 0) continue;
            sum += score.Recall;
            present++;
        }
        return present == 0 ? double.NaN : sum / present;
    }

    /// <summary>
    /// Mean negative log-likelihood of the true classes under <paramref name="probabilities"/> <c>(N, C)</c>, each probability
    /// clipped to <c>[1e-15, 1 − 1e-15]</c> so a confident mistake costs a large, finite amount (scikit-learn's <c>log_loss</c>).
    /// </summary>
    public static double LogLoss<T>(ReadOnlySpan<int> actual, Matrix<T> probabilities) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Rows != actual.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} rows of probabilities. Received: {probabilities.Rows}.", nameof(probabilities));
        }
        if (actual.Length == 0)
        {
            return double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if ((uint)actual[i] >= (uint)probabilities.Columns)
            {
                throw new ArgumentOutOfRangeException(nameof(actual), $"Expected class indices in [0, {probabilities.Columns}). Received: {actual[i]} at {i}.");
            }
            double p = Math.Clamp(double.CreateChecked(probabilities[i, actual[i]]), 1e-15, 1 - 1e-15);
            sum -= Math.Log(p);
        }
        return sum / actual.Length;
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static void CheckLengths(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} predictions. Received: {predicted.Length}.", nameof(predicted));
        }
    }
}
