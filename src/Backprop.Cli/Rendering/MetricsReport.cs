using System.Numerics;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;

namespace Backprop.Cli.Rendering;

/// <summary>The one way a model is measured on labelled data, shared by <c>train</c> (its end-of-run report) and <c>evaluate</c>.</summary>
internal static class MetricsReport
{
    /// <summary>Classification metrics from the predicted probabilities, or regression metrics in the target's units.</summary>
    public static IMetricsReport Evaluate<T>(TabularModel<T> model, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T> =>
        model.Task == TaskKind.Classification
            ? ClassificationReport.Create(model.ClassLabels!, data.Labels(), model.PredictProbabilities(data.Features))
            : RegressionReport.Create(data.TargetValues(), model.PredictValues(data.Features));

    /// <summary>The metrics of a cross-fitted ensemble on its training rows, each row predicted by the member that held it out.</summary>
    public static IMetricsReport OutOfFold<T>(TabularModel<T> model, Dataset<T> data, IReadOnlyList<int> folds) where T : unmanaged, IFloatingPointIeee754<T> =>
        model.Task == TaskKind.Classification
            ? ClassificationReport.Create(model.ClassLabels!, data.Labels(), model.PredictOutOfFoldProbabilities(data.Features, folds))
            : RegressionReport.Create(data.TargetValues(), model.PredictOutOfFoldValues(data.Features, folds));
}
