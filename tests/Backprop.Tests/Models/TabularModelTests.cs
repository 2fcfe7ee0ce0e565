using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Models;
using Backprop.Tensors;

namespace Backprop.Tests.Models;

public class TabularModelTests
{
    public static TheoryData<string, string?> Networks => new()
    {
        { "default", null },
        { "SELU, a learnable scale, the neural-tangent parametrization", null },
        { "periodic embeddings", null },
        { "piecewise-linear bins", null },
        { "default", "alcohol" },
        { "Mish", "alcohol" },
    };

    private static TabularTrainingOptions Options(string network, string? target)
    {
        var options = new TabularTrainingOptions { Dataset = "wine", Target = target, Epochs = 3, Calibrate = false };
        return network switch
        {
            "default" => options,
            "periodic embeddings" => options with { Embedding = InputEmbedding.Periodic, HiddenLayers = [64] },
            "piecewise-linear bins" => options with { PiecewiseLinearBins = 8, HiddenLayers = [64] },
            _ => options with { Activation = null, FeatureScale = true, Parametrization = Parametrization.Ntk, HiddenLayers = [64, 64] },
        };
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_row_is_predicted_the_same_to_the_bit_whatever_rows_are_predicted_with_it(string network, string? target)
    {
        // predict reads a file in chunks (or Parquet row groups), so a row alone, in a short last chunk or in a full one must
        // get the same prediction: the products' kernels are chosen by the layers' shapes, never by the row count.
        TabularTrainingResult<float> result = new TabularTrainer<float>(Options(network, target)).Fit();
        Matrix<float> rows = result.TrainingData.Features;
        Matrix<float> all = result.Model.PredictOutputs(rows);
        int outputs = all.Columns;
        foreach ((int start, int count) in new[] { (0, 1), (5, 2), (10, 7), (40, 100), (rows.Rows - 1, 1) })
        {
            var part = new Matrix<float>(rows.RowRange(start, count).ToArray(), count, rows.Columns);
            Assert.Equal(all.Data.AsSpan(start * outputs, count * outputs).ToArray(), result.Model.PredictOutputs(part).Data);
        }
    }
}
