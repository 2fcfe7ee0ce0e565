using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Models;

public sealed class PermutationImportanceTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    // The class is the sign of 'signal' (and a little of the category 'shade'); 'noise' is unrelated.
    private string WriteCsv(string name, int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var lines = new List<string> { "noise,signal,shade,label" };
        for (int r = 0; r < rows; r++)
        {
            double signal = rng.NextNormal(), noise = rng.NextNormal();
            string shade = rng.NextDouble() < 0.5 ? "dark" : "light";
            double score = 2 * signal + (shade == "dark" ? 0.8 : -0.8);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{noise:R},{signal:R},{shade},{(score > 0 ? "yes" : "no")}"));
        }
        return _files.Write(name, string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void An_informative_column_ranks_first_and_a_noise_column_near_zero()
    {
        TabularModel<float> model = new TabularTrainer<float>(new TabularTrainingOptions { Data = WriteCsv("train.csv", 400, 1), HiddenLayers = [16] }).Fit().Model;
        Dataset<float> test = model.Preprocessor.Transform<float>(Table.Read(WriteCsv("test.csv", 600, 2), model.Preprocessor.ReadOptions()));
        IReadOnlyList<ColumnImportance> importance = PermutationImportance.Compute(model, test, repeats: 5, seed: 3);
        Assert.Equal(["signal", "shade", "noise"], importance.Select(c => c.Column));
        ColumnImportance signal = importance[0], shade = importance[1], noise = importance[2];
        Assert.True(signal.Mean > 0.3, $"signal {signal.Mean}");
        Assert.True(shade.Mean > 0.03 && shade.Low > 0, $"shade {shade.Mean} [{shade.Low}, {shade.High}]");
        Assert.InRange(noise.Mean, -0.02, 0.02);
        Assert.True(noise.Low <= 0.005 && noise.High >= -0.005, $"noise [{noise.Low}, {noise.High}]");
        Assert.All(importance, c => Assert.True(c.Low <= c.Mean && c.Mean <= c.High));
        Assert.Equal(5, signal.Drops.Count);
        Assert.Equal(signal.Drops.Average(), signal.Mean, 1e-12);
        // Seeded: the same shuffles give the same numbers.
        Assert.Equal(importance.Select(c => c.Mean), PermutationImportance.Compute(model, test, repeats: 5, seed: 3).Select(c => c.Mean));
    }

    [Theory]
    [InlineData(0.975, 1, 12.706205)]
    [InlineData(0.975, 4, 2.776445)]
    [InlineData(0.975, 30, 2.042272)]
    [InlineData(0.95, 9, 1.833113)]
    [InlineData(0.025, 4, -2.776445)]
    public void Student_t_quantiles_match_the_tables(double p, int degrees, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(p, degrees), 1e-5);
}
