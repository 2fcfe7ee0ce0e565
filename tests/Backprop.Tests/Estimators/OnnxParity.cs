using System.Globalization;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Serialization.Onnx;
using Backprop.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.Estimators;

/// <summary>
/// A small mixed table (numeric <c>x</c> and <c>z</c>, categorical <c>size</c>, a class <c>label</c> and a value <c>amount</c>) and
/// the comparison of a trained model's predictions with ONNX Runtime's run of its export, preprocessing inside the graph.
/// </summary>
internal sealed class OnnxParity
{
    // Missing cells as a user's file may write them (CSV reading trims spaces, so none here).
    private static readonly string[] MissingSpellings = ["", "NA", "n/a", "?", "NULL", "nan", "Null", "#N/A", "#div/0!"];

    private readonly List<string> _lines = ["x,size,z,label,amount"];

    /// <summary>Writes the table to <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file to write.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="messy">
    /// Every 11th <c>x</c> missing and one 40 standard deviations out (robust scaling clips it); every 7th <c>size</c> missing,
    /// written as each of the missing-value markers in turn (the graph gets the same text).
    /// </param>
    /// <param name="threeClasses">Labels hi, mid and lo rather than hi and lo.</param>
    public OnnxParity(string path, int rows, bool messy, bool threeClasses)
    {
        Path = path;
        var rng = new Rng(5);
        for (int r = 0; r < rows; r++)
        {
            double x = rng.NextNormal() * (messy && r == 7 ? 40 : 1), z = rng.NextNormal() * 3 + 10;
            string size = (r % 3) switch { 0 => "S", 1 => "M", _ => "L" };
            if (messy && r % 7 == 3) size = MissingSpellings[r / 7 % MissingSpellings.Length];
            string label = x + z / 5 > 2 ? "hi" : threeClasses && x > 0 ? "mid" : "lo";
            string cell = messy && r % 11 == 4 ? "" : x.ToString("R", CultureInfo.InvariantCulture);
            _lines.Add(string.Create(CultureInfo.InvariantCulture, $"{cell},{size},{z:R},{label},{2 * x - z:R}"));
        }
        File.WriteAllLines(path, _lines);
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <summary>
    /// Exports <paramref name="model"/>, runs the graph in ONNX Runtime on the table's raw columns, and returns the largest relative
    /// difference from Backprop's own predictions (probabilities or values); for a classifier also checks the graph's labels are
    /// the arg-max of Backprop's probabilities.
    /// </summary>
    public double WorstDifference(TabularModel<float> model)
    {
        bool classifier = model.Task == TaskKind.Classification;
        byte[] onnx = OnnxExporter.ToBytes(model.Network, model.OnnxOptions());
        int rows = _lines.Count - 1;
        float[] xs = new float[rows * 2];
        string[] sizes = new string[rows];
        for (int r = 0; r < rows; r++)
        {
            string[] cells = _lines[r + 1].Split(',');
            xs[2 * r] = cells[0].Length == 0 ? float.NaN : float.Parse(cells[0], CultureInfo.InvariantCulture);
            xs[2 * r + 1] = float.Parse(cells[2], CultureInfo.InvariantCulture);
            sizes[r] = cells[1];
        }
        using var session = new InferenceSession(onnx);
        using var results = session.Run(
        [
            NamedOnnxValue.CreateFromTensor("features", new DenseTensor<float>(xs, [rows, 2])),
            NamedOnnxValue.CreateFromTensor("size", new DenseTensor<string>(sizes, [rows, 1])),
        ]);
        Table table = Table.Read(Path, model.Preprocessor.ReadOptions());
        float[] actual = results.First(v => v.Name == (classifier ? "probabilities" : "prediction")).AsEnumerable<float>().ToArray();
        double[] expected = classifier
            ? model.PredictProbabilities(table).Data.Select(v => (double)v).ToArray()
            : model.PredictValues(table);
        Assert.Equal(expected.Length, actual.Length);
        if (classifier)
        {
            long[] labels = results.First(v => v.Name == "label").AsEnumerable<long>().ToArray();
            Matrix<float> p = model.PredictProbabilities(table);
            for (int r = 0; r < rows; r++) Assert.Equal(Array.IndexOf(p.Row(r).ToArray(), p.Row(r).ToArray().Max()), (int)labels[r]);
        }
        return expected.Zip(actual, (e, a) => Math.Abs(e - a) / Math.Max(1, Math.Abs(e))).Max();
    }
}
