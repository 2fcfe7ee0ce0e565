using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Backprop.Metrics;
using Backprop.Tensors;

namespace Backprop.Cli.Rendering;

/// <summary>The metrics of a classifier on one data set, for people (text tables) and scripts (JSON).</summary>
internal sealed record ClassificationReport(
    IReadOnlyList<string> Labels,
    int Count,
    double Accuracy,
    double BalancedAccuracy,
    double F1Macro,
    double F1Weighted,
    double LogLoss,
    double CalibrationError,
    ReliabilityBin[] Reliability,
    int[,] ConfusionMatrix,
    ClassScores[] PerClass) : IMetricsReport
{
    /// <inheritdoc/>
    public string Headline(string part) => $"{part} Accuracy: {Accuracy.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Computes every metric from the true classes and the predicted probabilities <c>(N, C)</c>.</summary>
    public static ClassificationReport Create<T>(IReadOnlyList<string> labels, int[] actual, Matrix<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = labels.Count;
        int[] predicted = Classification.ArgMax(probabilities);
        return new ClassificationReport(labels, actual.Length,
            Classification.Accuracy(actual, predicted),
            Classification.BalancedAccuracy(actual, predicted, classes),
            Classification.MacroF1(actual, predicted, classes),
            Classification.WeightedF1(actual, predicted, classes),
            Classification.LogLoss(actual, probabilities),
            Calibration.ExpectedCalibrationError(actual, probabilities),
            Calibration.Reliability(actual, probabilities),
            Classification.ConfusionMatrix(actual, predicted, classes),
            Classification.PerClass(actual, predicted, classes));
    }

    /// <summary>The summary metrics, the per-class scores and the confusion matrix, as aligned plain-text tables.</summary>
    public void WriteText(TextWriter output, string title)
    {
        output.WriteLine($"{title} ({Count} {(Count == 1 ? "sample" : "samples")})");
        output.WriteLine($"  accuracy           {Format(Accuracy)}");
        output.WriteLine($"  balanced accuracy  {Format(BalancedAccuracy)}");
        output.WriteLine($"  macro F1           {Format(F1Macro)}");
        output.WriteLine($"  weighted F1        {Format(F1Weighted)}");
        output.WriteLine($"  log loss           {Format(LogLoss)}");
        output.WriteLine($"  calibration (ECE)  {Format(CalibrationError)}");
        // Labels come from the data: printed escaped (a line break or an escape sequence in one would break the table or the
        // terminal), and cut to a length that leaves room for the figures on an 80-column terminal (JSON has them whole).
        string[] labels = Labels.Select(l => Shortened(Printable.OneLine(l))).ToArray();
        int width = Math.Max(9, CellText.MaxWidth(labels));
        output.WriteLine();
        output.WriteLine($"  {"class".PadRight(width)}  precision  recall     f1  support");
        for (int c = 0; c < Labels.Count; c++)
        {
            ClassScores s = PerClass[c];
            output.WriteLine($"  {CellText.PadRight(labels[c], width)}  {Format(s.Precision),9}  {Format(s.Recall),6}  {Format(s.F1),5}  {s.Support,7}");
        }
        output.WriteLine();
        output.WriteLine($"  confusion matrix (rows: actual, columns: predicted)");
        int cell = Math.Max(6, CellText.MaxWidth(labels));
        string[] rows = labels;
        if (2 + width + Labels.Count * (cell + 2) > TerminalWidth)
        {
            // Labels as column headings would not fit: the columns are numbered, and so are the rows they stand for.
            var numbers = new string[Labels.Count];
            for (int n = 0; n < numbers.Length; n++) numbers[n] = $"({n + 1})";
            rows = labels.Select((l, c) => $"{numbers[c]} {l}").ToArray();
            width = CellText.MaxWidth(rows);
            cell = Math.Max(numbers[^1].Length, Count.ToString(CultureInfo.InvariantCulture).Length);
            labels = numbers;
        }
        output.WriteLine($"  {"".PadRight(width)}  {string.Join("  ", labels.Select(l => CellText.PadLeft(l, cell)))}");
        for (int t = 0; t < Labels.Count; t++)
        {
            var row = new string[Labels.Count];
            for (int p = 0; p < row.Length; p++) row[p] = ConfusionMatrix[t, p].ToString(CultureInfo.InvariantCulture).PadLeft(cell);
            output.WriteLine($"  {CellText.PadRight(rows[t], width)}  {string.Join("  ", row)}");
        }
    }

    // The width the tables are laid out for: a terminal's usual, and what a report pasted into an issue or an e-mail keeps.
    private const int TerminalWidth = 80;

    // A label longer than this is cut, with "…": the class table is 38 columns of figures beside it.
    private const int MaxLabelLength = 40;

    private static string Shortened(string label) => label.Length <= MaxLabelLength ? label : label[..(MaxLabelLength - 1)] + "…";

    /// <summary>The metrics as JSON properties: accuracy, balanced_accuracy, f1_macro, f1_weighted, log_loss, ece, labels, confusion_matrix, per_class, reliability.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteNumber("samples", Count);
        writer.WriteNumberOrNull("accuracy", Accuracy);
        writer.WriteNumberOrNull("balanced_accuracy", BalancedAccuracy);
        writer.WriteNumberOrNull("f1_macro", F1Macro);
        writer.WriteNumberOrNull("f1_weighted", F1Weighted);
        writer.WriteNumberOrNull("log_loss", LogLoss);
        // Expected calibration error: the gap between confidence and accuracy, over 15 bins of confidence.
        writer.WriteNumberOrNull("ece", CalibrationError);
        writer.WriteStrings("labels", Labels);
        writer.WriteStartArray("confusion_matrix");
        for (int t = 0; t < Labels.Count; t++)
        {
            writer.WriteStartArray();
            for (int p = 0; p < Labels.Count; p++) writer.WriteNumberValue(ConfusionMatrix[t, p]);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("per_class");
        for (int c = 0; c < Labels.Count; c++)
        {
            writer.WriteStartObject(Labels[c]);
            writer.WriteNumberOrNull("precision", PerClass[c].Precision);
            writer.WriteNumberOrNull("recall", PerClass[c].Recall);
            writer.WriteNumberOrNull("f1", PerClass[c].F1);
            writer.WriteNumber("support", PerClass[c].Support);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteStartArray("reliability");
        foreach (ReliabilityBin bin in Reliability.Where(b => b.Count > 0))
        {
            writer.WriteStartObject();
            writer.WriteNumber("low", bin.Low);
            writer.WriteNumber("high", bin.High);
            writer.WriteNumber("count", bin.Count);
            writer.WriteNumber("confidence", bin.Confidence);
            writer.WriteNumber("accuracy", bin.Accuracy);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
}
