using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Backprop.Layers;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop train</c>: builds an MLP and trains it; with no options, the Iris notebook.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var dataset = new Option<string>("--dataset")
        {
            Description = "Embedded data set to train on (iris, wine)",
            DefaultValueFactory = _ => "iris",
        };
        dataset.AcceptOnlyFromAmong([.. Data.EmbeddedDatasets.Names]);
        var epochs = new Option<int>("--epochs")
        {
            Description = "Passes over the training data",
            DefaultValueFactory = _ => 50,
        };
        epochs.Validators.Add(r => NonNegative(r, "--epochs"));
        var learningRate = new Option<double>("--lr", "--learning-rate")
        {
            Description = "SGD learning rate",
            DefaultValueFactory = _ => 0.01,
        };
        learningRate.Validators.Add(r =>
        {
            double value = r.GetValueOrDefault<double>();
            if (!(value > 0) || !double.IsFinite(value)) r.AddError($"--lr: expected a positive number. Received: {value.ToString(CultureInfo.InvariantCulture)}.");
        });
        var hidden = new Option<int[]>("--hidden")
        {
            Description = "Hidden layer widths, comma-separated (e.g. 64,32); 'none' for no hidden layer",
            DefaultValueFactory = _ => [16],
            CustomParser = ParseHidden,
            HelpName = "16",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Samples per optimizer step (1 = per-sample SGD, the notebook's)",
            DefaultValueFactory = _ => 1,
        };
        batchSize.Validators.Add(r => Positive(r, "--batch-size"));
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the one random generator (initialization and shuffling): same seed, same numbers",
            DefaultValueFactory = _ => TrainSettings.DefaultSeed,
        };
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "Visit the samples in file order every epoch" };
        var precision = new Option<string>("--precision")
        {
            Description = "Floating-point precision: f32 or f64",
            DefaultValueFactory = _ => "f32",
        };
        precision.AcceptOnlyFromAmong("f32", "f64");
        var init = new Option<string>("--init")
        {
            Description = "Weight initialization: normal (standard normal, the notebook's) or pytorch (nn.Linear's uniform ±1/√fan_in)",
            DefaultValueFactory = _ => "normal",
        };
        init.AcceptOnlyFromAmong("normal", "pytorch");
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for the matrix kernels (results are identical for any count)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r => Positive(r, "--threads"));

        var command = new Command("train",
            "Train a multilayer perceptron (Dense → ReLU → … → Dense, softmax cross-entropy, SGD) and print the loss of every epoch.\n"
            + "With no options it reproduces the classic notebook: standardized Iris, 4→16→3, lr 0.01, batch size 1, 50 epochs.\n\n"
            + "Examples:\n"
            + "  backprop train\n"
            + "  backprop train --hidden 64,32 --epochs 100 --batch-size 16 --lr 0.05\n"
            + "  backprop train --dataset wine --precision f64 --seed 7 --init pytorch")
        {
            dataset, epochs, learningRate, hidden, batchSize, seed, noShuffle, precision, init, threads,
        };
        command.SetAction(parse =>
        {
            Tensors.Parallelism.MaxThreads = parse.GetValue(threads);
            var settings = new TrainSettings(
                Dataset: parse.GetValue(dataset)!,
                Epochs: parse.GetValue(epochs),
                LearningRate: parse.GetValue(learningRate),
                Hidden: parse.GetValue(hidden)!,
                BatchSize: parse.GetValue(batchSize),
                Seed: parse.GetValue(seed),
                Shuffle: !parse.GetValue(noShuffle),
                Double: parse.GetValue(precision) == "f64",
                Initialization: parse.GetValue(init) == "pytorch" ? Initialization.PyTorch : Initialization.Normal);
            return settings.Double ? TrainRunner.Run<double>(settings, output) : TrainRunner.Run<float>(settings, output);
        });
        return command;
    }

    private static int[] ParseHidden(ArgumentResult result)
    {
        string text = string.Join(",", result.Tokens.Select(t => t.Value));
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        var widths = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width <= 0)
            {
                result.AddError($"--hidden: expected positive integers separated by commas (e.g. 64,32). Received: '{text}'.");
                return [];
            }
            widths.Add(width);
        }
        return [.. widths];
    }

    private static void NonNegative(OptionResult result, string name)
    {
        int value = result.GetValueOrDefault<int>();
        if (value < 0) result.AddError($"{name}: expected an integer ≥ 0. Received: {value}.");
    }

    private static void Positive(OptionResult result, string name)
    {
        int value = result.GetValueOrDefault<int>();
        if (value <= 0) result.AddError($"{name}: expected an integer ≥ 1. Received: {value}.");
    }
}
