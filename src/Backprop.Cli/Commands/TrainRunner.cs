using System.Globalization;
using System.Numerics;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>Runs <c>train</c> in precision <typeparamref name="T"/>: data, model, training loop, report.</summary>
internal static class TrainRunner
{
    public static int Run<T>(TrainSettings settings, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> data = TrainData.Load<T>(settings);
        int classes = data.ClassNames!.Count;

        var rng = new Rng(settings.Seed);
        Sequential<T> model = BuildMlp<T>(data.FeatureCount, settings.Hidden, classes, settings.Initialization);
        model.ResetParameters(rng);

        var trainer = new Trainer<T>(model, new SoftmaxCrossEntropy<T>(), new Sgd<T>(T.CreateChecked(settings.LearningRate)),
            new TrainerOptions(settings.Epochs, settings.BatchSize, settings.Shuffle));
        trainer.Callbacks.Add(new EpochLinePrinter<T>(output));
        trainer.Fit(data, rng);

        int[] predicted = Classification.ArgMax(model.Predict(data.Features));
        int[] actual = Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
        output.WriteLine($"Training Accuracy: {Classification.Accuracy(actual, predicted).ToString(CultureInfo.InvariantCulture)}");
        return Cli.Success;
    }

    /// <summary><c>Dense(F → h₁) → ReLU → … → Dense(hₖ → C)</c>.</summary>
    public static Sequential<T> BuildMlp<T>(int inputs, IReadOnlyList<int> hidden, int outputs, Initialization initialization)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layers = new List<ILayer<T>>();
        int width = inputs;
        foreach (int h in hidden)
        {
            layers.Add(new Dense<T>(width, h, initialization));
            layers.Add(new Relu<T>());
            width = h;
        }
        layers.Add(new Dense<T>(width, outputs, initialization));
        return new Sequential<T>(inputs, [.. layers]);
    }
}
