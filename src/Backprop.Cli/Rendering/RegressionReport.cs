using System.Globalization;
using System.Text.Json;
using Backprop.Metrics;

namespace Backprop.Cli.Rendering;

/// <summary>The metrics of a regressor on one data set: R², MAE, RMSE.</summary>
internal sealed record RegressionReport(int Count, double R2, double Mae, double Rmse, double[] Actual, double[] Predicted) : IMetricsReport
{
    /// <inheritdoc/>
    public string Headline(string part) => $"{part} R²: {R2.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Computes the metrics from the true and predicted values (in the target's units).</summary>
    public static RegressionReport Create(double[] actual, double[] predicted) =>
        new(actual.Length, Regression.RSquared(actual, predicted), Regression.MeanAbsoluteError(actual, predicted),
            Regression.RootMeanSquaredError(actual, predicted), actual, predicted);

    /// <summary>One line per metric.</summary>
    public void WriteText(TextWriter output, string title)
    {
        output.WriteLine($"{title} ({Count} {(Count == 1 ? "sample" : "samples")})");
        output.WriteLine($"  R²    {Format(R2)}");
        output.WriteLine($"  MAE   {Format(Mae)}");
        output.WriteLine($"  RMSE  {Format(Rmse)}");
    }

    /// <summary>The metrics as JSON properties r2, mae, rmse.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteNumber("samples", Count);
        writer.WriteNumberOrNull("r2", R2);
        writer.WriteNumberOrNull("mae", Mae);
        writer.WriteNumberOrNull("rmse", Rmse);
    }

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("G6", CultureInfo.InvariantCulture) : "n/a";
}
