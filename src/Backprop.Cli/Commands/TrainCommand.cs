using System.Runtime.InteropServices;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Backprop.Layers;
using Backprop.Optimizers;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop train</c>: builds an MLP and trains it; with no options, the Iris notebook.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, bool interactive = false)
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
            Description = "Learning rate (the notebook's 0.01 suits SGD; Adam and AdamW usually want 0.001)",
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
            HelpName = "widths",
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
            Description = "Weight initialization: normal (standard normal, the notebook's), pytorch (nn.Linear's uniform ±1/√fan_in), "
                + "xavier (Glorot uniform, zero bias), he (Kaiming normal √(2/fan_in), zero bias); "
                + "auto = normal for the embedded data sets (the notebook), pytorch for --data files (standard-normal weights diverge on wide or regression nets)",
            DefaultValueFactory = _ => "auto",
        };
        init.AcceptOnlyFromAmong("auto", "normal", "pytorch", "xavier", "he");
        var activation = new Option<string>("--activation")
        {
            Description = "Activation after every hidden layer: relu, leaky-relu (slope 0.01), tanh, sigmoid, gelu (exact erf form)",
            DefaultValueFactory = _ => "relu",
        };
        activation.AcceptOnlyFromAmong("relu", "leaky-relu", "tanh", "sigmoid", "gelu");
        var optimizer = new Option<string>("--optimizer")
        {
            Description = "Optimizer: sgd (the notebook's), adam, adamw (decoupled weight decay, default 0.01); PyTorch semantics",
            DefaultValueFactory = _ => "sgd",
        };
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "adamw");
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum in [0, 1)", DefaultValueFactory = _ => 0 };
        momentum.Validators.Add(r => Range(r, "--momentum", 0, 1, inclusiveHigh: false));
        var nesterov = new Option<bool>("--nesterov") { Description = "SGD Nesterov momentum (needs --momentum > 0)" };
        var weightDecay = new Option<double?>("--weight-decay")
        {
            Description = "Weight decay: L2 added to the gradient for sgd and adam, decoupled for adamw (default 0; adamw 0.01)",
        };
        weightDecay.Validators.Add(r => Range(r, "--weight-decay", 0, double.MaxValue, inclusiveHigh: true));
        var clipNorm = new Option<double?>("--clip-norm") { Description = "Clip the gradient's global L2 norm to this value before each step" };
        clipNorm.Validators.Add(r => PositiveNumber(r, "--clip-norm"));
        var schedule = new Option<ScheduleSpec>("--schedule")
        {
            Description = $"Learning-rate schedule, per epoch: {ScheduleSpec.Forms}",
            DefaultValueFactory = _ => ScheduleSpec.Constant,
            CustomParser = r =>
            {
                ScheduleSpec? spec = ScheduleSpec.Parse(string.Join(",", r.Tokens.Select(t => t.Value)), out string? error);
                if (error is not null) r.AddError(error);
                return spec ?? ScheduleSpec.Constant;
            },
            HelpName = "constant",
        };
        var loss = new Option<string?>("--loss")
        {
            Description = "Loss: cross-entropy (classification default), bce (sigmoid binary cross-entropy: one logit for 2 classes, "
                + "one-vs-rest otherwise), mse (regression default), huber",
        };
        loss.AcceptOnlyFromAmong("cross-entropy", "bce", "mse", "huber");
        var huberDelta = new Option<double>("--huber-delta") { Description = "Huber's delta, in standardized target units", DefaultValueFactory = _ => 1 };
        huberDelta.Validators.Add(r => PositiveNumber(r, "--huber-delta"));
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing of the cross-entropy, in [0, 1]", DefaultValueFactory = _ => 0 };
        labelSmoothing.Validators.Add(r => Range(r, "--label-smoothing", 0, 1, inclusiveHigh: true));
        var dropout = new Option<double>("--dropout") { Description = "Dropout probability after every hidden activation, in [0, 1)", DefaultValueFactory = _ => 0 };
        dropout.Validators.Add(r => Range(r, "--dropout", 0, 1, inclusiveHigh: false));
        var validation = new Option<double>("--validation")
        {
            Description = "Hold out this fraction of the data (stratified for classification) to report validation loss and metrics",
            DefaultValueFactory = _ => 0,
            HelpName = "FRACTION",
        };
        validation.Validators.Add(r => Range(r, "--validation", 0, 1, inclusiveHigh: false));
        var validationData = new Option<string>("--validation-data")
        {
            Description = "A separate labelled CSV file to validate on (same columns as --data), instead of holding out a fraction",
            HelpName = "FILE.csv",
        };
        var earlyStopping = new Option<int?>("--early-stopping")
        {
            Description = "Stop after this many epochs without improvement of the validation loss (training loss without --validation); "
                + "the best epoch's weights are always restored",
            HelpName = "PATIENCE",
        };
        earlyStopping.Validators.Add(r => Positive(r, "--early-stopping"));
        var minDelta = new Option<double>("--min-delta") { Description = "Smallest loss decrease that counts as an improvement", DefaultValueFactory = _ => 0 };
        minDelta.Validators.Add(r => Range(r, "--min-delta", 0, double.MaxValue, inclusiveHigh: true));
        var classWeight = new Option<double[]?>("--class-weight")
        {
            Description = "Class weights: 'balanced' (n_samples / (n_classes · count)) or one weight per class, comma-separated",
            CustomParser = ParseClassWeights,
            HelpName = "balanced|W1,W2,…",
        };
        var task = new Option<string>("--task")
        {
            Description = "classification or regression (standardized targets, MSE); default: inferred from the target (strings and few distinct integers are classes)",
        };
        task.AcceptOnlyFromAmong("classification", "regression");
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for the matrix kernels (results are identical for any count)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r => Positive(r, "--threads"));

        var command = new Command("train",
            "Train a multilayer perceptron (classification or regression) on an embedded data set or a CSV file, and print the loss of every epoch.\n"
            + "With no options it reproduces the classic notebook: standardized Iris, 4→16→3, lr 0.01, batch size 1, 50 epochs.\n\n"
            + "Examples:\n"
            + "  backprop train\n"
            + "  backprop train --hidden 64,32 --epochs 100 --batch-size 16 --lr 0.05\n"
            + "  backprop train --dataset wine --precision f64 --seed 7 --init pytorch\n"
            + "  backprop train --data my.csv --target label --drop id\n"
            + "  backprop train --dataset wine --optimizer adam --lr 0.001 --batch-size 32 --epochs 200 --validation 0.2 --early-stopping 10\n"
            + "  backprop train --optimizer sgd --momentum 0.9 --nesterov --schedule cosine:5 --dropout 0.1 --activation gelu --init he")
        {
            dataset, epochs, learningRate, hidden, batchSize, seed, noShuffle, precision, init, threads,
            activation, optimizer, momentum, nesterov, weightDecay, clipNorm, schedule, loss, huberDelta, labelSmoothing, dropout,
            validation, earlyStopping, minDelta, classWeight, task,
        };
        var save = new Option<string>("--save")
        {
            Description = "Save the trained model (weights, preprocessing, options, history, optimizer state) to this file, atomically",
            HelpName = "MODEL",
        };
        command.Options.Add(save);
        var resume = new Option<string>("--resume")
        {
            Description = "Continue training a model saved by --save: its weights, preprocessing, optimizer and generator state; --epochs more epochs, numbered on",
            HelpName = "MODEL",
        };
        command.Options.Add(resume);
        var checkpointEvery = new Option<int?>("--checkpoint-every")
        {
            Description = "Every N epochs, write the current model to the --save file and the best one so far beside it (MODEL.best.safetensors)",
            HelpName = "N",
        };
        command.Options.Add(checkpointEvery);
        command.Options.Add(validationData);
        command.Validators.Add(r =>
        {
            if (r.GetResult(validationData) is null) return;
            if (r.GetValue(validation) > 0) r.AddError("--validation-data: expected instead of --validation, not with it.");
            if (r.GetResult(r.Command.Options.First(o => o.Name == "--data")) is null) r.AddError("--validation-data: expected together with --data FILE.csv.");
        });
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final result (no epoch lines, no progress bar)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (task, epochs, history, train and validation metrics, model, seconds), nothing else" };
        var plot = new Option<string>("--plot")
        {
            Description = "Draw the loss per epoch (and the validation loss and metric) to a .png or .svg file",
            HelpName = "FILE.png",
        };
        command.Options.Add(quiet);
        command.Options.Add(json);
        command.Options.Add(plot);
        command.Validators.Add(r =>
        {
            if (r.GetValue(checkpointEvery) is { } every && every <= 0) r.AddError($"--checkpoint-every: expected an integer ≥ 1. Received: {every}.");
            if (r.GetResult(checkpointEvery) is not null && r.GetValue(save) is null) r.AddError("--checkpoint-every: expected together with --save MODEL.");
        });
        var data = new DataOptions();
        data.AddTo(command);
        command.Validators.Add(r =>
        {
            string? problem = CombinationProblem(r.GetValue(task) == "regression", r.GetValue(loss), r.GetValue(labelSmoothing),
                r.GetResult(classWeight) is not null, r.GetValue(nesterov), r.GetValue(optimizer)!, r.GetValue(momentum));
            if (problem is not null) r.AddError(problem);
        });
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
                Initialization: parse.GetValue(init) switch
                {
                    "pytorch" => Initialization.PyTorch,
                    "xavier" => Initialization.XavierUniform,
                    "he" => Initialization.HeNormal,
                    "normal" => Initialization.Normal,
                    _ => data.Read(parse) is null ? Initialization.Normal : Initialization.PyTorch,
                },
                Data: data.Read(parse))
            {
                Activation = parse.GetValue(activation) switch
                {
                    "leaky-relu" => Activation.LeakyRelu,
                    "tanh" => Activation.Tanh,
                    "sigmoid" => Activation.Sigmoid,
                    "gelu" => Activation.Gelu,
                    _ => Activation.Relu,
                },
                Optimizer = parse.GetValue(optimizer) switch
                {
                    "adam" => OptimizerKind.Adam,
                    "adamw" => OptimizerKind.AdamW,
                    _ => OptimizerKind.Sgd,
                },
                Momentum = parse.GetValue(momentum),
                Nesterov = parse.GetValue(nesterov),
                WeightDecay = parse.GetValue(weightDecay),
                ClipNorm = parse.GetValue(clipNorm),
                Schedule = parse.GetValue(schedule)!,
                Loss = parse.GetValue(loss),
                HuberDelta = parse.GetValue(huberDelta),
                LabelSmoothing = parse.GetValue(labelSmoothing),
                Dropout = parse.GetValue(dropout),
                Validation = parse.GetValue(validation),
                ValidationData = parse.GetValue(validationData),
                EarlyStopping = parse.GetValue(earlyStopping),
                MinDelta = parse.GetValue(minDelta),
                // Absent, a collection option still yields an empty array: ask whether it was given at all.
                BalancedClassWeights = parse.GetResult(classWeight) is not null && parse.GetValue(classWeight) is { Length: 0 },
                ClassWeights = parse.GetResult(classWeight) is not null && parse.GetValue(classWeight) is { Length: > 0 } weights ? weights : null,
                Regression = parse.GetValue(task) == "regression",
                Classification = parse.GetValue(task) == "classification",
                Save = parse.GetValue(save),
                Resume = parse.GetValue(resume),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                Quiet = parse.GetValue(quiet),
                Json = parse.GetValue(json),
                Plot = parse.GetValue(plot),
                Interactive = interactive,
            };

            // --resume: what the command line does not say, the file's training options do.
            var given = parse.CommandResult.Children.OfType<OptionResult>().Where(r => !r.Implicit).Select(r => r.Option.Name).ToHashSet(StringComparer.Ordinal);
            TextWriter notes = parse.InvocationConfiguration.Error;
            settings = ResumeDefaults.Apply(settings, given, notes);
            // First Ctrl+C: finish the current batch, save the best model so far (with --save), exit 130. Second: quit at once.
            using var interrupt = new CancellationTokenSource();
            void Interrupt(PosixSignalContext signal)
            {
                if (interrupt.IsCancellationRequested) return;
                signal.Cancel = true;
                notes.WriteLine("Stopping after the current batch (Ctrl+C again to quit at once)…");
                interrupt.Cancel();
            }
            // SIGTERM (kill, a scheduler's stop) is handled like Ctrl+C: the best model so far is not lost.
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
            return settings.Double
                ? TrainRunner.Run<double>(settings, output, notes, interrupt.Token)
                : TrainRunner.Run<float>(settings, output, notes, interrupt.Token);
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

    // Options that parse on their own but contradict each other: usage errors, reported like the others (exit code 2).
    private static string? CombinationProblem(bool regression, string? loss, double labelSmoothing, bool classWeights, bool nesterov, string optimizer, double momentum)
    {
        if (regression && loss is "cross-entropy" or "bce")
        {
            return $"--loss {loss} is for classification; --task regression uses mse or huber.";
        }
        if (!regression && loss is "mse" or "huber")
        {
            return $"--loss {loss} is for regression (--task regression); classification uses cross-entropy or bce.";
        }
        if (regression && (labelSmoothing > 0 || classWeights))
        {
            return "--label-smoothing and --class-weight apply to classification only.";
        }
        if (labelSmoothing > 0 && loss == "bce")
        {
            return "--label-smoothing applies to the cross-entropy loss, not bce.";
        }
        if (nesterov && (optimizer != "sgd" || momentum <= 0))
        {
            return "--nesterov needs --optimizer sgd and --momentum > 0.";
        }
        return null;
    }

    // "balanced" -> empty array; "1,2.5,1" -> the weights.
    private static double[]? ParseClassWeights(ArgumentResult result)
    {
        string text = string.Join(",", result.Tokens.Select(t => t.Value)).Trim();
        if (text.Equals("balanced", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        var weights = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || !(weight >= 0) || !double.IsFinite(weight))
            {
                result.AddError($"--class-weight: expected 'balanced' or weights ≥ 0 separated by commas (e.g. 1,5). Received: '{text}'.");
                return null;
            }
            weights.Add(weight);
        }
        return [.. weights];
    }

    private static void Range(OptionResult result, string name, double low, double high, bool inclusiveHigh)
    {
        double? value = result.GetValueOrDefault<double?>();
        if (value is not { } v) return;
        bool ok = v >= low && (inclusiveHigh ? v <= high : v < high) && double.IsFinite(v);
        string upper = high == double.MaxValue ? "" : inclusiveHigh ? $" and ≤ {Text(high)}" : $" and < {Text(high)}";
        if (!ok) result.AddError($"{name}: expected a number ≥ {Text(low)}{upper}. Received: {Text(v)}.");
    }

    private static void PositiveNumber(OptionResult result, string name)
    {
        double? value = result.GetValueOrDefault<double?>();
        if (value is { } v && (!(v > 0) || !double.IsFinite(v))) result.AddError($"{name}: expected a positive number. Received: {Text(v)}.");
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static void NonNegative(OptionResult result, string name)
    {
        int value = result.GetValueOrDefault<int>();
        if (value < 0) result.AddError($"{name}: expected an integer ≥ 0. Received: {value}.");
    }

    private static void Positive(OptionResult result, string name)
    {
        int? value = result.GetValueOrDefault<int?>();
        if (value <= 0) result.AddError($"{name}: expected an integer ≥ 1. Received: {value}.");
    }
}
