using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>Samples as rows: features <c>(N, F)</c> and targets <c>(N, K)</c>.</summary>
/// <remarks>
/// For classification the target has one column holding the class index <c>0 .. C−1</c> (exact in both precisions);
/// for regression it holds the target values.
/// </remarks>
public sealed class Dataset<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Pairs <paramref name="features"/> with <paramref name="targets"/>, row by row.</summary>
    /// <exception cref="ArgumentException">The row counts differ, or names do not match the shape.</exception>
    public Dataset(Matrix<T> features, Matrix<T> targets, IReadOnlyList<string>? featureNames = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Rows != targets.Rows)
        {
            throw new ArgumentException($"Expected as many target rows as feature rows ({features.Rows}). Received: {targets.Rows}.", nameof(targets));
        }
        if (featureNames is not null && featureNames.Count != features.Columns)
        {
            throw new ArgumentException($"Expected {features.Columns} feature names. Received: {featureNames.Count}.", nameof(featureNames));
        }
        Features = features;
        Targets = targets;
        FeatureNames = featureNames ?? Enumerable.Range(0, features.Columns).Select(i => $"x{i}").ToArray();
        ClassNames = classNames;
    }

    /// <summary>Features <c>(N, F)</c>.</summary>
    public Matrix<T> Features { get; }

    /// <summary>Targets <c>(N, K)</c>.</summary>
    public Matrix<T> Targets { get; }

    /// <summary>One name per feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Class labels, index by index, for classification; <see langword="null"/> for regression.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Number of samples <c>N</c>.</summary>
    public int Count => Features.Rows;

    /// <summary>Number of features <c>F</c>.</summary>
    public int FeatureCount => Features.Columns;

    /// <summary>The class index of sample <paramref name="row"/> (classification).</summary>
    public int Label(int row) => int.CreateTruncating(Targets[row, 0]);

    /// <summary>The class index of every sample (classification), in order.</summary>
    public int[] Labels()
    {
        // Loops here and below, not Range(…).Select(…): LINQ over value types is compiled at first use in every run
        // (docs/performance.md, "Start-up").
        var labels = new int[Count];
        for (int r = 0; r < labels.Length; r++) labels[r] = Label(r);
        return labels;
    }

    /// <summary>The first target column as double-precision values (regression), in order.</summary>
    public double[] TargetValues()
    {
        var values = new double[Count];
        for (int r = 0; r < values.Length; r++) values[r] = double.CreateChecked(Targets[r, 0]);
        return values;
    }

    /// <summary>The same data set with <paramref name="features"/> in place of its features (for example after scaling).</summary>
    public Dataset<T> WithFeatures(Matrix<T> features) => new(features, Targets, FeatureNames, ClassNames);

    /// <summary>The rows listed in <paramref name="rows"/>, copied, in that order.</summary>
    public Dataset<T> Subset(ReadOnlySpan<int> rows)
    {
        var features = new Matrix<T>(rows.Length, Features.Columns);
        var targets = new Matrix<T>(rows.Length, Targets.Columns);
        for (int i = 0; i < rows.Length; i++)
        {
            Features.Row(rows[i]).CopyTo(features.Row(i));
            Targets.Row(rows[i]).CopyTo(targets.Row(i));
        }
        return new Dataset<T>(features, targets, FeatureNames, ClassNames);
    }
}
