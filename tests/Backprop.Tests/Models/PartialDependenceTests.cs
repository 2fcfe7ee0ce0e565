using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Models;

public sealed class PartialDependenceTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // y = 3x + 2·[size = L] + noise; z is unrelated.
    private string WriteCsv(int rows)
    {
        var rng = new Rng(4);
        var lines = new List<string> { "x,size,z,y" };
        for (int r = 0; r < rows; r++)
        {
            double x = 10 + 2 * rng.NextNormal(), z = rng.NextNormal();
            string size = (r % 3) switch { 0 => "S", 1 => "M", _ => "L" };
            double y = 3 * x + (size == "L" ? 2 : 0) + 0.3 * rng.NextNormal();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:R},{size},{z:R},{y:R}"));
        }
        return _files.Write("t.csv", string.Join("\n", lines) + "\n");
    }

    [Theory]
    [InlineData(NumericScaling.Standard)]
    [InlineData(NumericScaling.Robust)]
    public void A_linear_model_has_the_slope_of_its_column_and_parallel_individual_curves(NumericScaling scaling)
    {
        string data = WriteCsv(300);
        TabularModel<double> model = new TabularTrainer<double>(new TabularTrainingOptions
        {
            Data = data, HiddenLayers = [], Members = 1, ValidationFraction = 0.2, Epochs = 300, EarlyStopping = null, LearningRate = 0.05, Scaling = scaling,
        }).Fit().Model;
        Matrix<double> rows = model.Preprocessor.TransformFeatures<double>(Table.Read(data, model.Preprocessor.ReadOptions()));

        DependenceCurve x = PartialDependence.Compute(model, rows, "x", points: 11, individual: 20);
        Assert.True(x.Numeric);
        Assert.Equal("prediction", x.Explained);
        Assert.Equal(11, x.Values.Count);
        Assert.Equal(20, x.Individual.Count);
        // The grid spans the 5% to 95% quantiles of x (about 10 ± 1.645·2).
        Assert.InRange(x.Values[0], 6, 7.5);
        Assert.InRange(x.Values[^1], 12.5, 14);
        if (scaling == NumericScaling.Standard)
        {
            // A linear model in standardized inputs: the dependence is a line of slope ≈ 3.
            double slope = (x.Average[^1] - x.Average[0]) / (x.Values[^1] - x.Values[0]);
            Assert.InRange(slope, 2.8, 3.2);
            // Every row's curve is the mean's, shifted: the column acts alike in every row.
            foreach (IReadOnlyList<double> curve in x.Individual)
            {
                double shift = curve[0] - x.Average[0];
                for (int g = 0; g < 11; g++) Assert.Equal(x.Average[g] + shift, curve[g], 1e-9);
            }
        }
        else
        {
            // Smoothly clipped inputs: still increasing, more steeply near the median.
            Assert.True(x.Average.Zip(x.Average.Skip(1)).All(p => p.Second > p.First));
        }

        DependenceCurve size = PartialDependence.Compute(model, rows, "size");
        Assert.False(size.Numeric);
        Assert.Equal(model.Preprocessor.State.Features.First(f => f.Name == "size").Categories, size.Categories);
        int large = size.Categories.ToList().IndexOf("L"), small = size.Categories.ToList().IndexOf("S");
        Assert.InRange(size.Average[large] - size.Average[small], 1.5, 2.5);

        DependenceCurve z = PartialDependence.Compute(model, rows, "z");
        Assert.True(Math.Abs(z.Average[^1] - z.Average[0]) < 0.5, "z is noise");
        Assert.Throws<ArgumentException>(() => PartialDependence.Compute(model, rows, "y"));
    }

    [Theory]
    [InlineData(NumericScaling.Standard)]
    [InlineData(NumericScaling.Robust)]
    public void Unscaling_a_number_undoes_its_scaling(NumericScaling scaling)
    {
        string data = WriteCsv(50);
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(Table.Read(data), new TabularOptions(Scaling: scaling));
        FeatureColumnState x = preprocessor.State.Features[0];
        foreach (double value in new[] { 3.0, 9.5, 10.0, 14.25, 18.0 })
        {
            Assert.Equal(value, preprocessor.UnscaleNumber(x, preprocessor.ScaleNumber(x, value)), 1e-9);
        }
        Assert.Throws<ArgumentException>(() => preprocessor.ScaleNumber(preprocessor.State.Features[1], 1));
    }
}
