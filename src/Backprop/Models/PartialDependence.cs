using System.Numerics;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Models;

/// <summary>
/// Partial dependence (Friedman 2001) and individual conditional expectation curves (Goldstein et al. 2015): a column is set to
/// each value of a grid in every row, the rest of the row kept, and the model predicts; each row gives a curve, their mean is the
/// partial dependence. Numeric grids run over the column's quantiles (5% to 95%, so that a few extreme rows do not stretch them);
/// categorical ones over the categories seen in training.
/// </summary>
public static class PartialDependence
{
    /// <summary>The curves of one original column.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">The rows, encoded by the model's preprocessing (<see cref="TabularPreprocessor.TransformFeatures{T}"/>); a numeric column's values give its grid.</param>
    /// <param name="column">An original feature column of the model.</param>
    /// <param name="points">Grid points of a numeric column, ≥ 2.</param>
    /// <param name="individual">Rows whose curves are kept (a seeded sample; all rows enter the mean).</param>
    /// <param name="explainedClass">For a classifier, the class whose probability is explained; <see langword="null"/> for the second of two classes, or the class predicted most often.</param>
    /// <exception cref="ArgumentException">The column is not one of the model's features.</exception>
    public static DependenceCurve Compute<T>(TabularModel<T> model, Matrix<T> rows, string column, int points = 20, int individual = 50,
        int? explainedClass = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        IReadOnlyList<FeatureColumnState> features = model.Preprocessor.State.Features;
        int index = features.ToList().FindIndex(f => f.Name == column);
        if (index < 0)
        {
            throw new ArgumentException($"Expected one of the model's columns ({string.Join(", ", features.Select(f => f.Name))}). Received: '{column}'.", nameof(column));
        }
        FeatureColumnState feature = features[index];
        int offset = features.Take(index).Sum(f => f.Width);
        if (rows.Rows == 0 || rows.Columns != model.Preprocessor.FeatureCount)
        {
            throw new ArgumentException($"Expected rows of the model's {model.Preprocessor.FeatureCount} encoded inputs. Received: {rows.Rows} of {rows.Columns}.", nameof(rows));
        }

        // The grid, as raw values (for the axis) and as what each sets in the row's inputs.
        double[] values = [];
        string[] categories = [];
        List<Action<Span<T>>> settings = [];
        if (feature.Kind is FeatureKind.Numeric or FeatureKind.Date)
        {
            double[] present = [.. Enumerable.Range(0, rows.Rows).Select(r => model.Preprocessor.UnscaleNumber(feature, double.CreateChecked(rows[r, offset]))).Order()];
            double low = Quantiles.Of(present, 0.05), high = Quantiles.Of(present, 0.95);
            values = high > low ? [.. Enumerable.Range(0, points).Select(i => low + (high - low) * i / (points - 1))] : [low];
            foreach (double value in values)
            {
                // The scaled value, and its bins when the column has a piecewise-linear encoding.
                T[] encoded = new T[feature.Width];
                model.Preprocessor.EncodeNumber<T>(feature, value, encoded);
                settings.Add(input => encoded.CopyTo(input.Slice(offset, encoded.Length)));
            }
        }
        else if (feature.Kind == FeatureKind.Boolean)
        {
            categories = ["false", "true"];
            settings.Add(input => input[offset] = T.Zero);
            settings.Add(input => input[offset] = T.One);
        }
        else
        {
            categories = feature.Categories ?? [];
            for (int c = 0; c < categories.Length; c++)
            {
                int hot = c;
                settings.Add(input =>
                {
                    Span<T> block = input.Slice(offset, feature.Width);
                    block.Clear();
                    block[hot] = T.One;
                });
            }
        }

        bool regression = model.Output == OutputKind.Identity;
        int target = 0;
        string explained = "prediction";
        if (!regression)
        {
            IReadOnlyList<string> labels = model.ClassLabels!;
            target = explainedClass ?? (labels.Count == 2 ? 1
                : Metrics.Classification.ArgMax(model.PredictProbabilities(rows)).GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key);
            if ((uint)target >= (uint)labels.Count) throw new ArgumentOutOfRangeException(nameof(explainedClass), target, $"Expected a class index in [0, {labels.Count}).");
            explained = $"P({labels[target]})";
        }

        // Every row at every grid point, in one prediction per point.
        int[] sample = new Rng(0x1CE).Sample(rows.Rows, individual);
        var average = new double[settings.Count];
        var curves = sample.Select(_ => new double[settings.Count]).ToArray();
        var moved = new Matrix<T>(rows.Rows, rows.Columns);
        for (int g = 0; g < settings.Count; g++)
        {
            rows.Data.CopyTo(moved.Data, 0);
            for (int r = 0; r < rows.Rows; r++) settings[g](moved.Row(r));
            double[] predictions = regression ? model.PredictValues(moved) : new double[rows.Rows];
            if (!regression)
            {
                Matrix<T> probabilities = model.PredictProbabilities(moved);
                for (int r = 0; r < rows.Rows; r++) predictions[r] = double.CreateChecked(probabilities[r, target]);
            }
            average[g] = predictions.Average();
            for (int s = 0; s < sample.Length; s++) curves[s][g] = predictions[sample[s]];
        }
        return new DependenceCurve(column, feature.Kind is FeatureKind.Numeric or FeatureKind.Date, values, categories, explained, average, curves)
        {
            Dates = feature.Kind == FeatureKind.Date,
        };
    }
}
