using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Models;

namespace Backprop.Tests.Estimators;

/// <summary>The periodic input embedding end to end: built, saved, fixed on resume, and computed the same by ONNX Runtime.</summary>
public sealed class EmbeddingTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string PathOf(string name) => Path.Combine(_files.Directory, name);

    [Fact]
    public void A_run_builds_it_first_and_the_file_keeps_it()
    {
        var options = new TabularTrainingOptions
        {
            Dataset = "wine", HiddenLayers = [8], PiecewiseLinearBins = 0, Epochs = 3, Embedding = InputEmbedding.Periodic, SavePath = PathOf("p.safetensors"),
        };
        TabularTrainingResult<double> result = new TabularTrainer<double>(options).Fit();
        var embedding = Assert.IsType<PeriodicEmbedding<double>>(result.Model.Network.Layers[0]);
        Assert.Equal(13 * 5, embedding.OutputFeatures);
        TabularModel<double> loaded = TabularModel<double>.Load(PathOf("p.safetensors"));
        Assert.IsType<PeriodicEmbedding<double>>(loaded.Network.Layers[0]);
        Assert.Equal(result.Model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal("Embedding", Assert.Throws<OptionException>(() =>
            TabularTrainer<double>.Resume(PathOf("p.safetensors"), o => o with { Embedding = InputEmbedding.None })).Option);
        // Resumed as it was, it continues from the saved epoch.
        Assert.Equal(3, TabularTrainer<double>.Resume(PathOf("p.safetensors"), o => o with { Epochs = 4, SavePath = null }).Fit().InitialEpoch);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnnxRuntime_computes_the_embedding_as_Backprop_does(bool classifier)
    {
        var table = new OnnxParity(PathOf("t.csv"), rows: 90, messy: true, threeClasses: true);
        var options = new TabularTrainingOptions
        {
            Data = table.Path, HiddenLayers = [12], Epochs = 5, Embedding = InputEmbedding.Periodic, Members = 2, ValidationFraction = 0, EarlyStopping = null,
            LearningRate = 0.01, Target = classifier ? "label" : "amount", Drop = [classifier ? "amount" : "label"],
        };
        double worst = table.WorstDifference(new TabularTrainer<float>(options).Fit().Model);
        Assert.True(worst < 1e-5, $"largest relative difference {worst}");
    }
}
