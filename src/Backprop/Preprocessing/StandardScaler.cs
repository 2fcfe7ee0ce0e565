using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Preprocessing;

/// <summary>Standardizes each feature column: <c>(x − mean) / std</c>, with the population standard deviation (ddof = 0).</summary>
/// <remarks>
/// Like scikit-learn's <c>StandardScaler</c> and the notebook's <c>(data − data.mean(0)) / data.std(0)</c>.
/// A constant column has std 0; it is divided by 1 instead, so it becomes all zeros rather than NaN.
/// Statistics are accumulated in double precision whatever <typeparamref name="T"/> is.
/// </remarks>
public sealed class StandardScaler<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a scaler from known statistics (for example, loaded with a model).</summary>
    public StandardScaler(double[] mean, double[] scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Length != scale.Length)
        {
            throw new ArgumentException($"Expected as many scales as means ({mean.Length}). Received: {scale.Length}.", nameof(scale));
        }
        Mean = mean;
        Scale = scale;
    }

    /// <summary>Per-column mean.</summary>
    public double[] Mean { get; }

    /// <summary>Per-column divisor: the population std, or 1 for a constant column.</summary>
    public double[] Scale { get; }

    /// <summary>Fits a scaler to the columns of <paramref name="features"/> <c>(N, F)</c>.</summary>
    public static StandardScaler<T> Fit(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        int n = features.Rows, f = features.Columns;
        var mean = new double[f];
        var scale = new double[f];
        for (int r = 0; r < n; r++)
        {
            Span<T> row = features.Row(r);
            for (int c = 0; c < f; c++) mean[c] += double.CreateChecked(row[c]);
        }
        for (int c = 0; c < f; c++) mean[c] = n > 0 ? mean[c] / n : 0;
        // Two passes (mean, then squared deviations) rather than Σx² − n·mean²: no catastrophic cancellation.
        for (int r = 0; r < n; r++)
        {
            Span<T> row = features.Row(r);
            for (int c = 0; c < f; c++)
            {
                double d = double.CreateChecked(row[c]) - mean[c];
                scale[c] += d * d;
            }
        }
        for (int c = 0; c < f; c++)
        {
            double std = n > 0 ? Math.Sqrt(scale[c] / n) : 0;
            scale[c] = std > 0 ? std : 1;
        }
        return new StandardScaler<T>(mean, scale);
    }

    /// <summary>The mean and divisor of one column of <paramref name="values"/>: what <see cref="Fit"/> computes per column.</summary>
    /// <remarks>
    /// For callers whose columns are not a matrix (a table read from CSV); the divisor of a constant or empty column is 1.
    /// Values near the limits of double (a cell of 1e308) make the plain sums overflow; the statistics are then computed on the
    /// values divided by their largest magnitude, which gives the same mean and deviation (finite whenever the values are).
    /// </remarks>
    public static (double Mean, double Scale) FitColumn(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return (0, 1);
        }
        double mean = 0;
        foreach (double value in values) mean += value;
        mean /= values.Length;
        double squares = 0;
        foreach (double value in values)
        {
            double d = value - mean;
            squares += d * d;
        }
        double std = Math.Sqrt(squares / values.Length);
        if (!double.IsFinite(mean) || !double.IsFinite(std))
        {
            (mean, std) = ScaledMoments(values);
        }
        return (mean, std > 0 ? std : 1);
    }

    /// <summary><c>(x − mean) / scale</c>, also when <c>x − mean</c> alone would overflow (values near the limits of double).</summary>
    public static double Standardize(double x, double mean, double scale)
    {
        double z = (x - mean) / scale;
        return double.IsFinite(z) || !double.IsFinite(x) ? z : x / scale - mean / scale;
    }

    // Mean and population deviation of values whose sums overflow: computed on v / max|v| and scaled back.
    private static (double Mean, double Std) ScaledMoments(ReadOnlySpan<double> values)
    {
        double largest = 0;
        foreach (double value in values) largest = Math.Max(largest, Math.Abs(value));
        double mean = 0;
        foreach (double value in values) mean += value / largest;
        mean /= values.Length;
        double squares = 0;
        foreach (double value in values)
        {
            double d = value / largest - mean;
            squares += d * d;
        }
        return (mean * largest, Math.Sqrt(squares / values.Length) * largest);
    }

    /// <summary>A standardized copy of <paramref name="features"/> <c>(N, F)</c>.</summary>
    public Matrix<T> Transform(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != Mean.Length)
        {
            throw new ArgumentException($"Expected {Mean.Length} feature columns. Received: {features.Columns}.", nameof(features));
        }
        var result = new Matrix<T>(features.Rows, features.Columns);
        for (int r = 0; r < features.Rows; r++)
        {
            Span<T> source = features.Row(r), target = result.Row(r);
            for (int c = 0; c < source.Length; c++)
            {
                target[c] = T.CreateChecked((double.CreateChecked(source[c]) - Mean[c]) / Scale[c]);
            }
        }
        return result;
    }
}
