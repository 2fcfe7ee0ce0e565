using Backprop.Estimators;
using Backprop.Losses;
using Backprop.Models;

namespace Backprop.Tests.Estimators;

/// <summary>
/// A classifier trained with binary cross-entropy (sigmoid outputs: one for two classes, one per class for more) exported to
/// ONNX gives the probabilities and labels Backprop gives: members averaged as sigmoids, the temperature on the logit of the mean.
/// </summary>
public sealed class SigmoidOnnxTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    public void OnnxRuntime_gives_the_probabilities_of_a_sigmoid_classifier(bool threeClasses, int members)
    {
        var table = new OnnxParity(Path.Combine(_files.Directory, "t.csv"), rows: 120, messy: false, threeClasses);
        TabularTrainingOptions options = new()
        {
            Data = table.Path, Target = "label", Drop = ["amount"], HiddenLayers = [12], Epochs = 20, Members = members, CrossFit = false,
            ValidationFraction = 0.3, Loss = LossKind.BinaryCrossEntropy,
        };
        TabularModel<float> model = new TabularTrainer<float>(options).Fit().Model;
        Assert.Equal(OutputKind.Sigmoid, model.Output);
        Assert.NotEqual(1, model.Temperature);
        double worst = table.WorstDifference(model);
        Assert.True(worst < 1e-5, $"largest relative difference {worst}");
    }
}
