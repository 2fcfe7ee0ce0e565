using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Metrics;

/// <summary>Metrics of a regressor (scikit-learn's definitions).</summary>
public static class Regression
{
    /// <summary>
    /// Coefficient of determination <c>R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²</c>: 1 is perfect, 0 is no better than predicting the mean,
    /// negative is worse. For a constant target, 1 if the predictions are exact and 0 otherwise (as scikit-learn).
    /// </summary>
    public static double RSquared(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        CheckLengths(actual, predicted);
        if (actual.Length == 0)
        {
            return double.NaN;
        }
        (double residual, double total) = SumsOfSquares(actual, predicted, 1);
        if (!double.IsFinite(residual) || !double.IsFinite(total))
        {
            // Targets near the limits of double (1e200 and up): the squares overflow, the ratio does not. Sums of the values
            // divided by their largest magnitude, whose ratio is the same.
            (residual, total) = SumsOfSquares(actual, predicted, Largest(actual, predicted));
        }
        if (total == 0)
        {
            return residual == 0 ? 1 : 0;
        }
        return 1 - residual / total;
    }

    /// <summary>R² of each column of <paramref name="actual"/> <c>(N, K)</c> against <paramref name="predicted"/>, averaged over the columns (scikit-learn's <c>uniform_average</c>).</summary>
    public static double RSquared<T>(Matrix<T> actual, Matrix<T> predicted) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Rows != predicted.Rows || actual.Columns != predicted.Columns)
        {
            throw new ArgumentException($"Expected predictions of shape ({actual.Rows}, {actual.Columns}). Received: ({predicted.Rows}, {predicted.Columns}).", nameof(predicted));
        }
        double sum = 0;
        for (int c = 0; c < actual.Columns; c++)
        {
            sum += RSquared(Column(actual, c), Column(predicted, c));
        }
        return actual.Columns == 0 ? double.NaN : sum / actual.Columns;
    }

    /// <summary>Mean absolute error <c>Σ|y − ŷ| / N</c>.</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        CheckLengths(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) sum += Math.Abs(actual[i] - predicted[i]);
        return actual.Length == 0 ? double.NaN : sum / actual.Length;
    }

    /// <summary>Root mean squared error <c>√(Σ(y − ŷ)² / N)</c>, in the units of the target.</summary>
    public static double RootMeanSquaredError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        CheckLengths(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) sum += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
        if (!double.IsFinite(sum) && actual.Length > 0)
        {
            double scale = Largest(actual, predicted);
            (sum, _) = SumsOfSquares(actual, predicted, scale);
            return Math.Sqrt(sum / actual.Length) * scale;
        }
        return actual.Length == 0 ? double.NaN : Math.Sqrt(sum / actual.Length);
    }

    // Σ((y − ŷ)/s)² and Σ((y − ȳ)/s)², each difference taken between scaled values so that it cannot overflow.
    private static (double Residual, double Total) SumsOfSquares(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, double scale)
    {
        double mean = 0;
        foreach (double y in actual) mean += y / scale;
        mean /= actual.Length;
        double residual = 0, total = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double y = actual[i] / scale, r = y - predicted[i] / scale, d = y - mean;
            residual += r * r;
            total += d * d;
        }
        return (residual, total);
    }

    private static double Largest(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        double largest = double.Epsilon;
        for (int i = 0; i < actual.Length; i++) largest = Math.Max(largest, Math.Max(Math.Abs(actual[i]), Math.Abs(predicted[i])));
        return largest;
    }

    private static double[] Column<T>(Matrix<T> matrix, int column) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new double[matrix.Rows];
        for (int r = 0; r < values.Length; r++) values[r] = double.CreateChecked(matrix[r, column]);
        return values;
    }

    private static void CheckLengths(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} predictions. Received: {predicted.Length}.", nameof(predicted));
        }
    }
}
