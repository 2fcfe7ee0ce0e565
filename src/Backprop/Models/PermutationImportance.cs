using System.Numerics;
using Backprop.Data;
using Backprop.Metrics;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Models;

/// <summary>
/// Permutation importance (Breiman 2001; Fisher, Rudin and Dominici 2019): a column matters as much as the model's main metric
/// drops when that column's values are shuffled across the rows, breaking its link with the target while keeping its
/// distribution. Measured on labelled data (ideally rows the model did not train on), by original column, repeated with
/// seeded shuffles for a confidence interval.
/// </summary>
public static class PermutationImportance
{
    /// <summary>The model's main metric on the rows: accuracy for a classifier, R² for a regressor.</summary>
    public static double Score<T>(TabularModel<T> model, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T> =>
        Score(model, data.Features, data);

    /// <summary>The importance of every original column, most important first.</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">Labelled rows encoded by the model's preprocessing (<see cref="TabularPreprocessor.Transform{T}"/>).</param>
    /// <param name="repeats">Shuffles per column, ≥ 2 (the interval needs a spread).</param>
    /// <param name="seed">Seed of the shuffles: same seed, same importances.</param>
    /// <param name="confidence">Of the interval, in <c>(0, 1)</c>.</param>
    /// <exception cref="ArgumentException">The data is not encoded for this model, or has no rows.</exception>
    public static IReadOnlyList<ColumnImportance> Compute<T>(TabularModel<T> model, Dataset<T> data, int repeats = 5, ulong seed = 0, double confidence = 0.95)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 2);
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Expected a confidence in (0, 1).");
        if (data.FeatureCount != model.Preprocessor.FeatureCount || data.Count == 0)
        {
            throw new ArgumentException($"Expected rows with the model's {model.Preprocessor.FeatureCount} encoded inputs. Received: {data.Count} rows of {data.FeatureCount}.", nameof(data));
        }
        double baseline = Score(model, data.Features, data);
        var shuffled = new Matrix<T>(data.Count, data.FeatureCount);
        var order = new int[data.Count];
        var result = new List<ColumnImportance>();
        int offset = 0;
        IReadOnlyList<FeatureColumnState> columns = model.Preprocessor.State.Features;
        for (int column = 0; column < columns.Count; column++)
        {
            int width = columns[column].Width;
            var drops = new double[repeats];
            for (int repeat = 0; repeat < repeats; repeat++)
            {
                // A generator per column and repeat: a column's importance does not depend on which columns came before it.
                var rng = new Rng(seed ^ (0x9E37_79B9_7F4A_7C15UL * (ulong)(column * repeats + repeat + 1)));
                for (int r = 0; r < order.Length; r++) order[r] = r;
                rng.Shuffle<int>(order);
                data.Features.Data.CopyTo(shuffled.Data, 0);
                for (int r = 0; r < data.Count; r++)
                {
                    data.Features.Row(order[r]).Slice(offset, width).CopyTo(shuffled.Row(r).Slice(offset, width));
                }
                drops[repeat] = baseline - Score(model, shuffled, data);
            }
            double mean = drops.Average();
            double spread = Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / (repeats - 1));
            double half = StudentT.Quantile(0.5 + confidence / 2, repeats - 1) * spread / Math.Sqrt(repeats);
            result.Add(new ColumnImportance(columns[column].Name, mean, mean - half, mean + half, drops));
            offset += width;
        }
        return [.. result.OrderByDescending(c => c.Mean).ThenBy(c => c.Column, StringComparer.Ordinal)];
    }

    private static double Score<T>(TabularModel<T> model, Matrix<T> features, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (model.Task == TaskKind.Classification)
        {
            return Classification.Accuracy(data.Labels(), Classification.ArgMax(model.PredictProbabilities(features)));
        }
        return Regression.RSquared(data.TargetValues(), model.PredictValues(features));
    }
}
