using System.Globalization;
using System.Numerics;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;
using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>The sections of <c>train --report</c> and <c>evaluate --report</c>: what was read and decided, curves, metrics, calibration, importance.</summary>
internal static class ReportPages
{
    /// <summary>The permutation importance of a report uses at most this many rows (a seeded sample of larger data): seconds, not minutes.</summary>
    public const int MaxImportanceRows = 10_000;

    /// <summary>The notes and warnings of the run, as the terminal showed them.</summary>
    public static void AddRemarks(HtmlReport html, Remarks remarks)
    {
        if (remarks.Warnings.Count + remarks.Notes.Count == 0) return;
        html.Heading("What was read and decided");
        html.Remarks([.. remarks.Warnings.Select(w => ("warning", w)), .. remarks.Notes.Select(n => ("note", n))]);
    }

    /// <summary>A metrics report's tables, then (with <paramref name="pictures"/>) its pictures: confusion matrix and reliability, or predicted against actual.</summary>
    public static void AddMetrics(HtmlReport html, IMetricsReport report, string title, string part, bool pictures = true)
    {
        html.Heading(title);
        var text = new StringWriter { NewLine = "\n" };
        report.WriteText(text, part);
        html.Preformatted(text.ToString());
        if (!pictures)
        {
            return;
        }
        if (report is ClassificationReport classes)
        {
            html.Figure(ConfusionMatrixPlot.Create(classes.ConfusionMatrix, classes.Labels), $"{part}: confusion matrix (rows: actual, columns: predicted; shading: the share of each row).");
            html.Figure(ReliabilityPlot.Create(classes.Reliability, classes.CalibrationError),
                string.Create(CultureInfo.InvariantCulture,
                    $"{part}: reliability. Per bin of confidence, how often the model was right; on the diagonal a model is as sure as it is right (expected calibration error {classes.CalibrationError:0.0000})."),
                PlotFile.Width, PlotFile.Height);
        }
        else if (report is RegressionReport values)
        {
            html.Figure(PredictedVsActualPlot.Create(values.Actual, values.Predicted), $"{part}: predicted against actual values.");
        }
    }

    /// <summary>
    /// The permutation importance of <paramref name="model"/> on <paramref name="data"/>, as a table and a plot, then the partial
    /// dependence of the 3 most important columns.
    /// </summary>
    public static void AddImportance<T>(HtmlReport html, TabularModel<T> model, Dataset<T> data, string where) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count == 0) return;
        Dataset<T> rows = data.Count <= MaxImportanceRows ? data : data.Subset(new Rng(0x5A_3B1E).Sample(data.Count, MaxImportanceRows));
        IReadOnlyList<ColumnImportance> importance = PermutationImportance.Compute(model, rows, repeats: 5, seed: 0);
        string metric = model.Task == TaskKind.Regression ? "R²" : "accuracy";
        html.Heading("Importance of the columns");
        html.Paragraph($"The drop in {metric} when a column's values are shuffled across the rows ({where}; {rows.Count:N0} rows"
            + (rows.Count < data.Count ? $", a sample of {data.Count:N0}" : "") + "), mean and 95% interval over 5 shuffles. "
            + "A column whose interval holds 0 is one the model does not need.");
        html.Table(["column", $"drop in {metric}", "95% interval"],
            importance.Select(c => (IReadOnlyList<string>)[c.Column, Signed(c.Mean), $"[{Signed(c.Low)}, {Signed(c.High)}]"]));
        html.Figure(ImportancePlot.Create(importance, $"drop in {metric}"), "Permutation importance.", PlotFile.Width,
            Math.Max(260, Math.Min(ImportancePlot.MaxColumns, importance.Count) * 34 + 140));
        AddDependence(html, model, rows.Features, importance.Take(3).Select(c => c.Column));
    }

    /// <summary>The partial dependence, with individual curves, of the <paramref name="columns"/> on the encoded <paramref name="rows"/>.</summary>
    public static void AddDependence<T>(HtmlReport html, TabularModel<T> model, Matrix<T> rows, IEnumerable<string> columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string[] drawn = [.. columns];
        if (drawn.Length == 0 || rows.Rows == 0) return;
        html.Heading("How the prediction moves with the most important columns");
        html.Paragraph("Each column set to each value of a grid in every row, the rest of the row kept: a thin line per row "
            + "(individual conditional expectation, 50 rows), and their mean (partial dependence). Parallel lines: the column acts alike "
            + "in every row; crossing ones: its effect depends on the others.");
        foreach (string column in drawn)
        {
            DependenceCurve curve = PartialDependence.Compute(model, rows, column);
            html.Figure(DependencePlot.Create(curve), $"{curve.Explained} against '{column}'.", PlotFile.Width, 420);
        }
    }

    private static string Signed(double value) => value.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);
}
