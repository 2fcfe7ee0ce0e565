using ScottPlot;

namespace Backprop.Cli.Rendering;

/// <summary>Loss per epoch (training and validation) and the main metric, in one picture.</summary>
internal static class TrainingPlot
{
    /// <summary>Builds the plot: losses on the left axis, the metric (if any) on the right axis.</summary>
    /// <param name="loss">Training loss per epoch.</param>
    /// <param name="validationLoss">Validation loss per epoch, or null.</param>
    /// <param name="metric">Main metric per epoch (e.g. validation accuracy), or null.</param>
    /// <param name="metricName">Its name, for the axis and the legend.</param>
    public static Plot Create(IReadOnlyList<double> loss, IReadOnlyList<double>? validationLoss, IReadOnlyList<double>? metric, string? metricName)
    {
        var plot = new Plot();
        double[] epochs = Enumerable.Range(0, loss.Count).Select(e => (double)e).ToArray();
        var train = plot.Add.ScatterLine(epochs, loss.ToArray());
        train.LegendText = "training loss";
        train.LineWidth = 2;
        train.Color = Colors.C0;
        if (validationLoss is { Count: > 0 })
        {
            var validation = plot.Add.ScatterLine(epochs[..validationLoss.Count], validationLoss.ToArray());
            validation.LegendText = "validation loss";
            validation.LineWidth = 2;
            validation.Color = Colors.C1;
        }
        if (metric is { Count: > 0 } && metricName is not null)
        {
            var curve = plot.Add.ScatterLine(epochs[..metric.Count], metric.ToArray());
            curve.LegendText = metricName;
            curve.LineWidth = 2;
            curve.LinePattern = LinePattern.Dashed;
            curve.Color = Colors.C2;
            curve.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = metricName;
        }
        plot.Title("Training");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        // Losses are ≥ 0: start the axis at 0 so the curves read as a fall toward zero; epochs are whole numbers.
        double top = loss.Concat(validationLoss ?? []).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, top * 1.05, plot.Axes.Left);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Middle right: losses have fallen low and the metric risen high by then, so the legend covers neither.
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }
}
