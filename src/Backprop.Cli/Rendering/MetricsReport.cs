using System.Numerics;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Cli.Rendering;

/// <summary>The one way a model is measured on labelled data, shared by <c>train</c> (its end-of-run report) and <c>evaluate</c>.</summary>
internal static class MetricsReport
{
    /// <summary>Classification metrics from the predicted probabilities, or regression metrics in the target's units.</summary>
    public static IMetricsReport Evaluate<T>(TabularModel<T> model, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T> =>
        model.Task == TaskKind.Classification
            ? ClassificationReport.Create(model.ClassLabels!, data.Labels(), model.PredictProbabilities(data.Features))
            : RegressionReport.Create(data.TargetValues(), model.PredictValues(data.Features));

    /// <summary>
    /// The metrics of <see cref="Evaluate{T}(TabularModel{T}, Dataset{T})"/> on data read a chunk at a time: only the predictions and
    /// the targets are kept (a few numbers a row), not the table, so a file larger than memory is measured.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="chunks">The data's chunks of rows, each with the model's target column.</param>
    /// <param name="warnings">Receives each chunk's warnings (rows skipped for a missing target, unseen categories).</param>
    /// <param name="notes">Receives each chunk's notes (imputed cells).</param>
    public static IMetricsReport Evaluate<T>(TabularModel<T> model, IEnumerable<Table> chunks, TransformRemarks warnings, TransformRemarks notes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool classification = model.Task == TaskKind.Classification;
        // Each chunk's arrays kept as they are and joined once at the end: a list that grows by doubling would hold up to three
        // copies of the predictions at its last growth.
        var targets = new List<int[]>();
        var actual = new List<double[]>();
        var outputs = new List<T[]>();
        var values = new List<double[]>();
        foreach (Table chunk in chunks)
        {
            var chunkWarnings = new List<string>();
            var chunkNotes = new List<string>();
            Dataset<T> data = model.Preprocessor.Transform<T>(chunk, warnings: chunkWarnings, notes: chunkNotes);
            warnings.Add(chunkWarnings);
            notes.Add(chunkNotes);
            if (data.Count == 0)
            {
                continue; // every target of the chunk missing: said in its warning
            }
            if (classification)
            {
                targets.Add(data.Labels());
                outputs.Add(model.PredictProbabilities(data.Features).Data);
            }
            else
            {
                actual.Add(data.TargetValues());
                values.Add(model.PredictValues(data.Features));
            }
        }
        if (!classification)
        {
            return RegressionReport.Create(Joined(actual), Joined(values));
        }
        int[] labels = Joined(targets);
        return ClassificationReport.Create(model.ClassLabels!, labels, new Matrix<T>(Joined(outputs), labels.Length, model.ClassLabels!.Count));
    }

    private static TValue[] Joined<TValue>(List<TValue[]> parts)
    {
        var joined = new TValue[parts.Sum(p => (long)p.Length)];
        long at = 0;
        foreach (TValue[] part in parts)
        {
            part.CopyTo(joined, at);
            at += part.Length;
        }
        return joined;
    }

    /// <summary>The metrics of a cross-fitted ensemble on its training rows, each row predicted by the member that held it out.</summary>
    public static IMetricsReport OutOfFold<T>(TabularModel<T> model, Dataset<T> data, IReadOnlyList<int> folds) where T : unmanaged, IFloatingPointIeee754<T> =>
        model.Task == TaskKind.Classification
            ? ClassificationReport.Create(model.ClassLabels!, data.Labels(), model.PredictOutOfFoldProbabilities(data.Features, folds))
            : RegressionReport.Create(data.TargetValues(), model.PredictOutOfFoldValues(data.Features, folds));
}
