using System.Numerics;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Tests.Training;

/// <summary>End to end: the notebook's training run on the embedded Iris data.</summary>
public class NotebookTrainingTests
{
    private static (IReadOnlyList<EpochRecord> History, double Accuracy) Train<T>(ulong seed, Initialization init = Initialization.Normal,
        int batchSize = 1, bool shuffle = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> raw = EmbeddedDatasets.Iris<T>();
        Dataset<T> data = raw.WithFeatures(StandardScaler<T>.Fit(raw.Features).Transform(raw.Features));
        var rng = new Rng(seed);
        var model = new Sequential<T>(4, new Dense<T>(4, 16, init), new Relu<T>(), new Dense<T>(16, 3, init));
        model.ResetParameters(rng);
        var trainer = new Trainer<T>(model, new SoftmaxCrossEntropy<T>(), new Sgd<T>(T.CreateChecked(0.01)), new TrainerOptions(50, batchSize, shuffle));
        IReadOnlyList<EpochRecord> history = trainer.Fit(data, rng);
        int[] actual = Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
        return (history, Classification.Accuracy(actual, Classification.ArgMax(model.Predict(data.Features))));
    }

    [Theory]
    [InlineData(Initialization.Normal)]
    [InlineData(Initialization.PyTorch)]
    public void Reaches_97_percent_and_a_loss_under_0_1_for_at_least_4_of_5_seeds(Initialization init)
    {
        int good = 0;
        for (ulong seed = 0; seed < 5; seed++)
        {
            var (history, accuracy) = Train<float>(seed, init);
            Assert.Equal(50, history.Count);
            Assert.True(history[^1].Loss < history[0].Loss, "the loss should fall");
            if (accuracy >= 0.97 && history[^1].Loss < 0.1) good++;
        }
        Assert.True(good >= 4, $"{good} of 5 seeds reached accuracy ≥ 0.97 and loss < 0.1");
    }

    [Fact]
    public void Float32_and_float64_agree_to_1e_4_on_the_same_run()
    {
        var (single, singleAccuracy) = Train<float>(seed: 3);
        var (@double, doubleAccuracy) = Train<double>(seed: 3);
        for (int epoch = 0; epoch < 50; epoch++)
        {
            Assert.True(Math.Abs(single[epoch].Loss - @double[epoch].Loss) < 1e-4,
                $"epoch {epoch}: f32 {single[epoch].Loss}, f64 {@double[epoch].Loss}");
        }
        Assert.Equal(doubleAccuracy, singleAccuracy);
    }

    [Fact]
    public void Same_seed_gives_identical_runs_and_another_seed_does_not()
    {
        var first = Train<float>(seed: 8).History.Select(e => e.Loss).ToArray();
        var again = Train<float>(seed: 8).History.Select(e => e.Loss).ToArray();
        var other = Train<float>(seed: 9).History.Select(e => e.Loss).ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Mini_batches_train_too()
    {
        var (history, accuracy) = Train<double>(seed: 1, batchSize: 16, shuffle: false);
        Assert.True(history[^1].Loss < history[0].Loss);
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
    }
}
