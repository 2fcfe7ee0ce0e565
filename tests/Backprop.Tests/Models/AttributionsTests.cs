using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Models;

public sealed class AttributionsTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Numeric x and z, a categorical size; a class from them, and a value.
    private string WriteCsv(int rows)
    {
        var rng = new Rng(9);
        var lines = new List<string> { "x,size,z,label,amount" };
        for (int r = 0; r < rows; r++)
        {
            double x = rng.NextNormal(), z = rng.NextNormal();
            string size = (r % 3) switch { 0 => "S", 1 => "M", _ => "L" };
            double score = x + 0.5 * z + (size == "L" ? 1 : 0) + 0.3 * rng.NextNormal();
            string label = score > 1 ? "hi" : score > -0.5 ? "mid" : "lo";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:R},{size},{z:R},{label},{3 * score:R}"));
        }
        return _files.Write("t.csv", string.Join("\n", lines) + "\n");
    }

    private (TabularModel<double> Model, Matrix<double> Rows) Train(bool classifier, int members)
    {
        string data = WriteCsv(150);
        TabularTrainingOptions options = new()
        {
            Data = data, Target = classifier ? "label" : "amount", Drop = [classifier ? "amount" : "label"], HiddenLayers = [12], Epochs = 40,
            PiecewiseLinearBins = 0, // one input a number (PiecewiseLinearEncodingTests explains binned columns)
            Members = members, ValidationFraction = members == 1 ? 0.2 : 0, EarlyStopping = null,
        };
        TabularModel<double> model = new TabularTrainer<double>(options).Fit().Model;
        return (model, model.Preprocessor.TransformFeatures<double>(Table.Read(data, model.Preprocessor.ReadOptions())));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 3)]
    public void Integrated_gradients_add_up_to_the_prediction_minus_the_baselines(bool classifier, int members)
    {
        (TabularModel<double> model, Matrix<double> rows) = Train(classifier, members);
        if (classifier) Assert.NotEqual(1, model.Temperature); // the chain goes through the temperature too
        RowAttribution[] attributions = Attributions.IntegratedGradients(model, rows, steps: 400);
        double spread = attributions.Max(a => Math.Abs(a.Value - a.Baseline));
        Assert.True(spread > 0.05, $"spread {spread}");
        foreach (RowAttribution a in attributions.Take(40))
        {
            Assert.Equal(a.Value - a.Baseline, a.Columns.Sum() + a.Gap, 1e-12);
            Assert.True(Math.Abs(a.Gap) < 2e-3 * Math.Max(spread, 1), $"gap {a.Gap} of {a.Value - a.Baseline}");
        }
        // The explained output: the predicted class's probability, or the value.
        double first = classifier ? model.PredictProbabilities(rows).Row(0).ToArray().Max() : model.PredictValues(rows)[0];
        Assert.Equal(first, attributions[0].Value, 1e-12);
    }

    [Fact]
    public void Gradient_times_input_is_the_finite_difference_slope_times_the_distance_from_the_baseline()
    {
        (TabularModel<double> model, Matrix<double> rows) = Train(classifier: true, members: 3);
        double[] baseline = Attributions.MeanRow(rows);
        var one = new Matrix<double>(1, rows.Columns);
        rows.Row(5).CopyTo(one.Data);
        RowAttribution a = Attributions.GradientTimesInput(model, one, baseline)[0];
        // Column 0 is x (numeric, one input); its slope by central differences of the probability explained.
        double Probability(double x)
        {
            var moved = new Matrix<double>(1, rows.Columns);
            one.Data.CopyTo(moved.Data, 0);
            moved[0, 0] = x;
            return model.PredictProbabilities(moved)[0, a.Class];
        }
        const double h = 1e-5;
        double slope = (Probability(one[0, 0] + h) - Probability(one[0, 0] - h)) / (2 * h);
        Assert.Equal(slope * (one[0, 0] - baseline[0]), a.Columns[0], 1e-7);
    }

    [Fact]
    public void A_one_hot_block_counts_as_its_column()
    {
        (TabularModel<double> model, Matrix<double> rows) = Train(classifier: false, members: 1);
        RowAttribution a = Attributions.IntegratedGradients(model, rows, steps: 32)[0];
        Assert.Equal(3, a.Columns.Count); // x, size (3 one-hot inputs), z
        Assert.Equal(5, rows.Columns);
    }
}
