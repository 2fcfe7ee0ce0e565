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
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} predictions. Received: {predicted.Length}.", nameof(predicted));
        }
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
}
