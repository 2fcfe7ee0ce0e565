using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Backprop.Data;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using O = Backprop.Estimators.TabularTrainingOptions;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop train</c>: maps its flags onto the library's <see cref="TabularTrainingOptions"/> and hands the run to <see cref="TrainRunner"/>.</summary>
/// <remarks>
/// Every training decision is the library's (<see cref="TabularTrainer{T}"/>): this class only parses. The defaults shown by
/// <c>--help</c> are read from <see cref="TabularTrainingOptions.Notebook"/>, what a run without flags trains with; the ranges are
/// checked by the options record, whose messages name the flags.
/// </remarks>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, bool interactive = false, CancellationToken interrupt = default)
    {
        O notebook = O.Notebook, quick = new O(), recipe = O.Tabular;
        // "--data: 200; --recipe tabular: 256": the other recipes' values of an option, for its help (whose default is the notebook's).
        string OtherRecipes<TValue>(Func<O, TValue> value) =>
            $"--data: {Convert.ToString(value(quick), CultureInfo.InvariantCulture)}; --recipe tabular: {Convert.ToString(value(recipe), CultureInfo.InvariantCulture)}";
        var command = new Command("train",
            "Train a multilayer perceptron (classification or regression) on an embedded data set or a CSV file, and print the loss of every epoch.\n"
            + "With no options it reproduces the classic notebook: standardized Iris, 4→16→3, lr 0.01, batch size 1, 50 epochs.\n\n"
            + "Examples:\n"
            + "  backprop train\n"
            + "  backprop train --hidden 64,32 --epochs 100 --batch-size 16 --lr 0.05\n"
            + "  backprop train --dataset wine --precision f64 --seed 7 --init pytorch\n"
            + "  backprop train --data my.csv --target label --drop id\n"
            + "  backprop train --dataset wine --optimizer adam --lr 0.001 --batch-size 32 --epochs 200 --validation 0.2 --early-stopping 10\n"
            + "  backprop train --optimizer sgd --momentum 0.9 --nesterov --schedule cosine:5 --dropout 0.1 --activation gelu --init he\n"
            + "  backprop train --resume model.safetensors --epochs 80 --save model.safetensors");
        var flags = new TrainFlags(command);
        Option<string> dataset = flags.Add(new Option<string>("--dataset")
        {
            Description = $"Embedded data set to train on ({string.Join(", ", EmbeddedDatasets.Names)})",
            DefaultValueFactory = _ => notebook.Dataset!,
        }, nameof(O.Dataset), (o, v) => o with { Dataset = v, Data = null });
        dataset.OneOf([.. EmbeddedDatasets.Names]);
        var recipeOption = new Option<string>("--recipe")
        {
            Description = "Training recipe the other flags change: plain (the notebook's: standardization, 16 relu, per-sample SGD at 0.01, 50 epochs; "
                + "the default for the embedded data sets), quick (each number also in 8 piecewise-linear bins, 5 cross-fitted networks of 64 relu averaged, Adam at 0.001, batches of 32, up to 200 epochs with early stopping out of fold, calibrated; "
                + "the default for --data), tabular (after RealMLP: robust scaling, a feature scale, 3×256 selu/mish, ntk, Adam β₂ 0.95 at 0.04 on coslog, "
                + "label smoothing 0.1, 256 epochs of 256 rows, the best epoch on a 20% split)",
        };
        recipeOption.OneOf("plain", "quick", "tabular");
        command.Options.Add(recipeOption);
        Option<string> scaling = flags.Add(new Option<string>("--scaling")
        {
            Description = "Numeric columns: robust (median and interquartile range, then smoothly clipped: z/√(1+(z/3)²)) or standard (mean and standard deviation) "
                + $"({OtherRecipes(o => OptionNames.Name(o.Scaling))})",
            DefaultValueFactory = _ => OptionNames.Name(notebook.Scaling),
        }, nameof(O.Scaling), (o, v) => o with { Scaling = Parse<NumericScaling>(v) });
        scaling.OneOf([.. OptionNames.All<NumericScaling>()]);
        flags.Add(new Option<bool>("--feature-scale")
        {
            Description = $"A learnable scale per input before the first layer; --feature-scale false for none ({OtherRecipes(o => o.FeatureScale ? "on" : "off")})",
        }, nameof(O.FeatureScale), (o, v) => o with { FeatureScale = v });
        Option<string> parametrization = flags.Add(new Option<string>("--parametrization")
        {
            Description = "ntk (weights N(0, 1/fan_in), biases N(0, 1); with Adam each weight steps at lr/√fan_in, each bias at lr/10, feature scales at 6·lr) "
                + $"or standard (one rate; weights by --init) ({OtherRecipes(o => OptionNames.Name(o.Parametrization))})",
            DefaultValueFactory = _ => OptionNames.Name(notebook.Parametrization),
        }, nameof(O.Parametrization), (o, v) => o with { Parametrization = Parse<Parametrization>(v) });
        parametrization.OneOf([.. OptionNames.All<Parametrization>()]);
        flags.Add(new Option<bool>("--zero-output")
        {
            Description = $"Start the output layer at zero (a constant first prediction); --zero-output false to draw it ({OtherRecipes(o => o.ZeroOutputLayer ? "on" : "off")})",
        }, nameof(O.ZeroOutputLayer), (o, v) => o with { ZeroOutputLayer = v });
        Option<string> embedding = flags.Add(new Option<string>("--embedding")
        {
            Description = "How each input enters the network: none (as it is) or periodic (beside 4 values learned from 16 cosines of it, "
                + $"cos(2π(w·x + b)) with learned frequencies w and phases b; RealMLP's PBLD) ({OtherRecipes(o => OptionNames.Name(o.Embedding))})",
            DefaultValueFactory = _ => OptionNames.Name(notebook.Embedding),
        }, nameof(O.Embedding), (o, v) => o with { Embedding = Parse<InputEmbedding>(v) });
        embedding.OneOf([.. OptionNames.All<InputEmbedding>()]);
        flags.Add(new Option<int>("--ple-bins")
        {
            Description = "Also encode each numeric column piecewise-linearly in this many quantile bins of its training values (Gorishniy et al. 2022): "
                + "one more input per bin, (x − edge) / bin width clipped to [0, 1], so the network can bend at the edges as a tree splits; "
                + $"0 for none, else 3 to 256 ({OtherRecipes(o => o.PiecewiseLinearBins)})",
            DefaultValueFactory = _ => notebook.PiecewiseLinearBins,
            HelpName = "BINS",
        }, nameof(O.PiecewiseLinearBins), (o, v) => o with { PiecewiseLinearBins = v });
        flags.Add(new Option<double>("--ple-rows-per-input")
        {
            Description = "Put the numbers in bins only when the training rows are at least this many per input the bins add "
                + "(8 bins of 100 columns need 1,600 rows at 2); on a smaller table they enter as they are; 0 to put them in bins whatever the table's size",
            DefaultValueFactory = _ => notebook.PiecewiseLinearRowsPerInput,
            HelpName = "ROWS",
        }, nameof(O.PiecewiseLinearRowsPerInput), (o, v) => o with { PiecewiseLinearRowsPerInput = v });
        flags.Add(new Option<int>("--members")
        {
            Description = $"Train this many networks side by side, each with its own initial weights and loss, and average their predictions (an ensemble in one model file, 1 to {O.MaxMembers}) ({OtherRecipes(o => o.Members)})",
            DefaultValueFactory = _ => notebook.Members,
        }, nameof(O.Members), (o, v) => o with { Members = v });
        flags.Add(new Option<bool>("--cross-fit")
        {
            Description = "With --members M: deal the rows into M folds, each member holding out its own; every row validates by the member that held it out, "
                + $"early stopping watches that out-of-fold loss, and all rows train; no --validation with it; --cross-fit false for none ({OtherRecipes(o => o.CrossFit switch { true => "on", false => "off", null => "on unless --validation or --members 1" })})",
        }, nameof(O.CrossFit), (o, v) => o with { CrossFit = v });
        flags.Add(new Option<int>("--epochs")
        {
            Description = $"The run's length in epochs (passes over the training data); with --resume, the total to reach, counted from the first epoch ({OtherRecipes(o => o.Epochs)})",
            DefaultValueFactory = _ => notebook.Epochs,
        }, nameof(O.Epochs), (o, v) => o with { Epochs = v });
        flags.Add(new Option<double>("--lr", "--learning-rate")
        {
            Description = "Learning rate; with --resume, the schedule's new base rate (default: the optimizer's, "
                + $"{Convert.ToString(O.DefaultLearningRate(OptimizerKind.Sgd), CultureInfo.InvariantCulture)} for sgd and "
                + $"{Convert.ToString(O.DefaultLearningRate(OptimizerKind.Adam), CultureInfo.InvariantCulture)} for adam and adamw; "
                + $"--recipe tabular: {Convert.ToString(recipe.LearningRate, CultureInfo.InvariantCulture)}, for its ntk parametrization)",
        }, nameof(O.LearningRate), (o, v) => o with { LearningRate = v });
        flags.Add(new Option<int[]>("--hidden")
        {
            Description = $"Hidden layer widths, comma-separated (e.g. 64,32); 'none' for no hidden layer ({OtherRecipes(o => Widths(o.HiddenLayers))})",
            DefaultValueFactory = _ => CopyOf(notebook.HiddenLayers),
            CustomParser = ParseHidden,
            HelpName = "widths",
        }, nameof(O.HiddenLayers), (o, v) => o with { HiddenLayers = v });
        flags.Add(new Option<int>("--batch-size")
        {
            Description = $"Samples per optimizer step (1 = per-sample SGD, the notebook's; {OtherRecipes(o => o.BatchSize)})",
            DefaultValueFactory = _ => notebook.BatchSize,
        }, nameof(O.BatchSize), (o, v) => o with { BatchSize = v });
        flags.Add(new Option<ulong>("--seed")
        {
            Description = "Seed of the random generators (split, initialization, shuffling, dropout): same seed, same numbers",
            DefaultValueFactory = _ => notebook.Seed,
        }, nameof(O.Seed), (o, v) => o with { Seed = v });
        flags.Add(new Option<bool>("--no-shuffle") { Description = "Visit the samples in file order every epoch" },
            nameof(O.Shuffle), (o, v) => o with { Shuffle = !v });
        var precision = new Option<string>("--precision")
        {
            Description = "Floating-point precision: f32 or f64 (with --resume, the file's unless given)",
            DefaultValueFactory = _ => "f32",
        };
        precision.OneOf("f32", "f64");
        command.Options.Add(precision);
        Option<string> init = flags.Add(new Option<string>("--init")
        {
            Description = "Weight initialization: normal (standard normal, the notebook's), pytorch (nn.Linear's uniform ±1/√fan_in), "
                + "xavier (Glorot uniform, zero bias), he (Kaiming normal √(2/fan_in), zero bias); "
                + "ntk (weights N(0, 1/fan_in), biases N(0, 1)), zeros; "
                + "auto = ntk with --parametrization ntk, else pytorch; normal is the notebook's, for the plain recipe on the embedded data sets only "
                + $"(standard-normal weights diverge on wide or regression nets) ({OtherRecipes(o => o.Initialization is { } i ? OptionNames.Name(i) : "auto")})",
            DefaultValueFactory = _ => notebook.Initialization is { } i ? OptionNames.Name(i) : "auto",
        }, nameof(O.Initialization), (o, v) => o with { Initialization = v == "auto" ? null : Parse<Initialization>(v) });
        init.OneOf(["auto", .. OptionNames.All<Initialization>()]);
        var distributed = new Option<string>("--distributed")
        {
            Description = "Train data-parallel over the ranks of an MPI job: mpirun -np N backprop train … --distributed mpi (Open MPI); "
                + "with at least as many shards (--data folder or glob) as ranks, each rank streams its own shards, else every rank reads the data; "
                + "each steps on its share of every batch (--batch-size is the global batch), rank 0 prints and writes the model",
            HelpName = "mpi",
        };
        distributed.OneOf(["mpi"]);
        command.Options.Add(distributed);
        var threads = new Option<int?>("--threads")
        {
            Description = "Threads for the matrix kernels, at most one per processor (default: every processor; results are identical for any count)",
        };
        threads.Validators.Add(r =>
        {
            // The value parsed (an unparsable one is reported by its parser, and reading it would throw).
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value < 1)
            {
                r.AddError($"--threads: expected an integer ≥ 1. Received: '{value}'.");
            }
        });
        command.Options.Add(threads);
        Option<string> activation = flags.Add(new Option<string>("--activation")
        {
            Description = "Activation after every hidden layer: relu (the notebook's), leaky-relu (slope 0.01), tanh, sigmoid, gelu (exact erf form), selu, mish; "
                + "auto = selu for classification, mish for regression (--recipe tabular's)",
            DefaultValueFactory = _ => OptionNames.Name(notebook.Activation!.Value),
        }, nameof(O.Activation), (o, v) => o with { Activation = v == "auto" ? null : Parse<Activation>(v) });
        activation.OneOf(["auto", .. OptionNames.All<Activation>()]);
        Choice(flags, "--optimizer", "Optimizer: sgd (the notebook's), adam (the tabular recipe's), adamw (decoupled weight decay, default 0.01); PyTorch semantics",
            OptionNames.Name(notebook.Optimizer), OptionNames.All<OptimizerKind>(), nameof(O.Optimizer), (o, v) => o with { Optimizer = Parse<OptimizerKind>(v) });
        flags.Add(new Option<double>("--beta2") { Description = $"Adam's β₂, the decay of its second-moment estimate, in [0, 1) ({OtherRecipes(o => o.Beta2)})", DefaultValueFactory = _ => notebook.Beta2 },
            nameof(O.Beta2), (o, v) => o with { Beta2 = v });
        flags.Add(new Option<double>("--momentum") { Description = "SGD momentum in [0, 1)", DefaultValueFactory = _ => notebook.Momentum },
            nameof(O.Momentum), (o, v) => o with { Momentum = v });
        flags.Add(new Option<bool>("--nesterov") { Description = "SGD Nesterov momentum (needs --momentum > 0)" },
            nameof(O.Nesterov), (o, v) => o with { Nesterov = v });
        flags.Add(new Option<double?>("--weight-decay")
        {
            Description = "Weight decay: L2 added to the gradient for sgd and adam, decoupled for adamw (default 0; adamw 0.01)",
        }, nameof(O.WeightDecay), (o, v) => o with { WeightDecay = v });
        flags.Add(new Option<double?>("--clip-norm") { Description = "Clip the gradient's global L2 norm to this value before each step" },
            nameof(O.ClipNorm), (o, v) => o with { ClipNorm = v });
        flags.Add(new Option<LearningRateSchedule>("--schedule")
        {
            Description = $"Learning-rate schedule over the run's epochs: {LearningRateSchedule.Forms} ({OtherRecipes(o => o.Schedule)})",
            DefaultValueFactory = _ => notebook.Schedule,
            CustomParser = r =>
            {
                string text = string.Join(",", r.Tokens.Select(t => t.Value));
                if (LearningRateSchedule.TryParse(text, out LearningRateSchedule? schedule, out string? error)) return schedule;
                r.AddError($"--schedule: {error}.");
                return LearningRateSchedule.Constant;
            },
            HelpName = "SCHEDULE",
        }, nameof(O.Schedule), (o, v) => o with { Schedule = v });
        Option<string> loss = flags.Add(new Option<string>("--loss")
        {
            Description = "Loss: cross-entropy (classification default), bce (sigmoid binary cross-entropy: one logit for 2 classes, "
                + "one-vs-rest otherwise), mse (regression default), huber",
        }, nameof(O.Loss), (o, v) => o with { Loss = Parse<LossKind>(v!) });
        loss.OneOf([.. OptionNames.All<LossKind>()]);
        flags.Add(new Option<double>("--huber-delta") { Description = "Huber's delta, in standardized target units", DefaultValueFactory = _ => notebook.HuberDelta },
            nameof(O.HuberDelta), (o, v) => o with { HuberDelta = v });
        flags.Add(new Option<double>("--label-smoothing")
        {
            Description = "Label smoothing of the cross-entropy, in [0, 1]: targets 1 − ε on the true class, ε/C elsewhere "
                + $"(--data and --recipe tabular: {O.DefaultLabelSmoothing.ToString(CultureInfo.InvariantCulture)} when calibrated, as temperature scaling undoes the under-confidence it leaves, else 0)",
            DefaultValueFactory = _ => 0,
        },
            nameof(O.LabelSmoothing), (o, v) => o with { LabelSmoothing = v });
        flags.Add(new Option<bool>("--calibrate")
        {
            Description = "Calibrate on the rows held out (--validation, or out of fold): fit a temperature that makes the class probabilities as confident as the model is right, "
                + "and keep the rows' errors for predict --interval and --set; --calibrate false for none "
                + $"({OtherRecipes(o => o.Calibrate switch { true => "on", false => "off", null => "on when rows are held out" })})",
        }, nameof(O.Calibrate), (o, v) => o with { Calibrate = v });
        flags.Add(new Option<double>("--dropout") { Description = "Dropout probability after every hidden activation, in [0, 1)", DefaultValueFactory = _ => notebook.Dropout },
            nameof(O.Dropout), (o, v) => o with { Dropout = v });
        Option<double> validation = flags.Add(new Option<double>("--validation")
        {
            Description = $"Hold out this fraction of the data (stratified for classification) to report validation loss and metrics and choose the epoch kept ({OtherRecipes(o => o.ValidationFraction)})",
            DefaultValueFactory = _ => notebook.ValidationFraction,
            HelpName = "FRACTION",
        }, nameof(O.ValidationFraction), (o, v) => o with { ValidationFraction = v, ValidationData = null });
        flags.Add(new Option<Patience>("--early-stopping")
        {
            Description = "Stop after this many epochs without improvement of the validation loss (training loss without --validation); "
                + "the best epoch's weights are always restored; 'none' to train every epoch "
                + $"({OtherRecipes(o => o.EarlyStopping?.ToString(CultureInfo.InvariantCulture) ?? "none")})",
            CustomParser = ParsePatience,
            HelpName = "PATIENCE|none",
        }, nameof(O.EarlyStopping), (o, v) => o with { EarlyStopping = v.Epochs });
        flags.Add(new Option<int>("--early-stopping-steps")
        {
            Description = "Early stopping also waits at least this many steps without improvement: the patience is the longer of "
                + "--early-stopping epochs and these steps (a small table's epoch is a few steps); 0 for epochs alone",
            DefaultValueFactory = _ => notebook.EarlyStoppingSteps,
            HelpName = "STEPS",
        }, nameof(O.EarlyStoppingSteps), (o, v) => o with { EarlyStoppingSteps = v });
        flags.Add(new Option<bool>("--restore-best")
        {
            Description = $"End with the weights of the epoch of lowest validation loss, not the last epoch's; --restore-best false to keep the last ({OtherRecipes(o => o.RestoreBest ? "on" : "off")})",
        }, nameof(O.RestoreBest), (o, v) => o with { RestoreBest = v });
        flags.Add(new Option<double>("--min-delta") { Description = "Smallest loss decrease that counts as an improvement", DefaultValueFactory = _ => notebook.MinDelta },
            nameof(O.MinDelta), (o, v) => o with { MinDelta = v });
        flags.Add(new Option<double[]?>("--class-weight")
        {
            Description = "Class weights: 'balanced' (n_samples / (n_classes · count)) or one weight per class, comma-separated",
            CustomParser = ParseClassWeights,
            HelpName = "balanced|W1,W2,…",
        }, nameof(O.ClassWeights), (o, v) => v is { Length: 0 }
            ? o with { BalancedClassWeights = true, ClassWeights = null }
            : o with { BalancedClassWeights = false, ClassWeights = v });
        flags.Alias(nameof(O.BalancedClassWeights), "--class-weight");
        Option<string> task = flags.Add(new Option<string>("--task")
        {
            Description = "classification or regression (standardized targets, MSE); default: inferred from the target (strings and integer labels are classes)",
        }, nameof(O.Task), (o, v) => o with { Task = Parse<TaskKind>(v) });
        task.OneOf([.. OptionNames.All<TaskKind>()]);

        flags.Add(new Option<string>("--save")
        {
            Description = "Save the trained model (weights, preprocessing, options, history, optimizer state) to this file, atomically",
            HelpName = "MODEL",
        }, nameof(O.SavePath), (o, v) => o with { SavePath = v });
        var resume = new Option<string>("--resume")
        {
            Description = "Continue training a model saved by --save: its options, weights, preprocessing, optimizer, generator and schedule state; "
                + "the flags given change the run from the resumed epoch on, until --epochs have completed",
            HelpName = "MODEL",
        };
        command.Options.Add(resume);
        flags.Add(new Option<int?>("--checkpoint-every")
        {
            Description = "Every N epochs, write the current model to the --save file and the best one so far beside it (MODEL.best.safetensors)",
            HelpName = "N",
        }, nameof(O.CheckpointEvery), (o, v) => o with { CheckpointEvery = v });
        flags.Add(new Option<bool>("--stream")
        {
            Description = "Read --data in chunks rather than whole, for data larger than memory: a first pass fits the preprocessing on a uniform sample "
                + "and holds out the validation rows, then every epoch streams the rows through a shuffle buffer (float32); "
                + "chosen by itself when the files take more than an eighth of the memory available, or the table would not fit, "
                + "or for --distributed over as many shards as ranks (each rank its own); --stream false never",
        }, nameof(O.Stream), (o, v) => o with { Stream = v });
        flags.Add(new Option<long?>("--stream-memory")
        {
            Description = $"What a streamed run's data may hold at once: the shuffle buffer, samples and chunk (e.g. 512MB, 2GB; default {O.DefaultStreamMemory / 1_000_000}MB, or a quarter of the memory available if less)",
            CustomParser = ParseSize,
            HelpName = "SIZE",
        }, nameof(O.StreamMemory), (o, v) => o with { StreamMemory = v });
        Option<string> validationData = flags.Add(new Option<string>("--validation-data")
        {
            Description = "Separate labelled data to validate on (a CSV or Parquet file, a folder or a glob; same columns as --data), instead of holding out a fraction",
            HelpName = "FILE",
        }, nameof(O.ValidationData), (o, v) => o with { ValidationData = v, ValidationFraction = 0 });
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the final result (no epoch lines, no progress bar)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout (task, epochs, history, train and validation metrics, best epoch, options, model, warnings and notes, seconds), nothing else" };
        var plot = new Option<string>("--plot")
        {
            Description = "Draw the loss per epoch (and the validation loss and metric) to a .png or .svg file",
            HelpName = "FILE.png",
        }.PlotPath();
        var report = new Option<string>("--report")
        {
            Description = "Also write one self-contained HTML page of the run: what was read and decided, the curves, the metrics, the confusion matrix and reliability "
                + "(or predicted vs. actual), the permutation importance of the columns and the partial dependence of the 3 most important",
            HelpName = "FILE.html",
        }.ReportPath();
        command.Options.Add(quiet);
        command.Options.Add(json);
        command.Options.Add(plot);
        command.Options.Add(report);
        Option<string> data = AddDataFlags(command, flags, dataset);

        command.Validators.Add(r =>
        {
            // Flags that replace each other: given together, one would silently win.
            if (r.GetResult(validationData) is not null && r.GetResult(validation) is { Implicit: false })
            {
                r.AddError("--validation-data: expected instead of --validation, not with it.");
            }
            if (r.GetResult(validationData) is not null && r.GetResult(data) is null && r.GetResult(resume) is null)
            {
                r.AddError("--validation-data: expected together with --data FILE.");
            }
        });
        command.SetAction(parse =>
        {
            var request = new TrainRequest(
                Apply: start => flags.ApplyTo(start, parse),
                FlagOf: flags.FlagOf,
                Resume: parse.GetValue(resume),
                Precision: parse.GetResult(precision) is { Implicit: false } ? parse.GetValue(precision) : null,
                Quiet: parse.GetValue(quiet),
                Json: parse.GetValue(json),
                Plot: parse.GetValue(plot),
                Interactive: interactive,
                Threads: parse.GetValue(threads),
                Interrupt: interrupt,
                Recipe: parse.GetValue(recipeOption),
                Report: parse.GetValue(report),
                Distributed: parse.GetValue(distributed));
            return TrainRunner.Run(request, output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    // The options that choose and shape a CSV file: --data, --target, --features, --drop, --keep, --categorical, --missing, --delimiter, --decimal.
    private static Option<string> AddDataFlags(Command command, TrainFlags flags, Option<string> dataset)
    {
        Option<string> data = flags.Add(new Option<string>("--data")
        {
            Description = "Data to train on: a CSV file (a header line, then rows; delimiter (, ; tab | or spaces) and decimal commas detected), a Parquet file, "
                + "or shards of either: a folder, or a quoted glob such as 'data/*.parquet'; the target is the last column unless --target",
            HelpName = "FILE",
        }, nameof(O.Data), (o, v) => o with { Data = v, Dataset = null });
        Option<string> target = flags.Add(new Option<string>("--target")
        {
            Description = "Target column (default: the last column); strings are classes, and so are integer labels (at most 20 values over a narrow range)",
            HelpName = "COLUMN",
        }, nameof(O.Target), (o, v) => o with { Target = v });
        Option<string[]> features = flags.Add(List("--features", "Feature columns, comma-separated (default: every column but the target)"),
            nameof(O.Features), (o, v) => o with { Features = v.Length > 0 ? v : null });
        Option<string[]> drop = flags.Add(List("--drop", "Columns not to use, comma-separated (e.g. an id)"), nameof(O.Drop), (o, v) => o with { Drop = v });
        Option<string[]> keep = flags.Add(List("--keep", "Columns to use although they look like identifiers (row numbers, ids), comma-separated"),
            nameof(O.Keep), (o, v) => o with { Keep = v });
        Option<string[]> categorical = flags.Add(List("--categorical", "Numeric columns to one-hot encode as categories, comma-separated"),
            nameof(O.Categorical), (o, v) => o with { Categorical = v });
        Option<string> missing = flags.Add(new Option<string>("--missing")
        {
            Description = "Missing cells (empty, NA, N/A, NaN, null, ?): mean or median of the column (most frequent value for strings), or error",
            DefaultValueFactory = _ => OptionNames.Name(O.Notebook.Missing),
        }, nameof(O.Missing), (o, v) => o with { Missing = Parse<MissingValueStrategy>(v) });
        missing.OneOf([.. OptionNames.All<MissingValueStrategy>()]);
        Option<string> dateOrder = flags.Add(new Option<string>("--date-order")
        {
            Description = "Dates written with the year last: day-first (15/03/2024) or month-first (3/15/2024); "
                + "default: each column's dates tell it (a day above 12, or all on the 1st of a month), else the column is text",
        }, nameof(O.DateOrder), (o, v) => o with { DateOrder = Parse<DateOrder>(v) });
        dateOrder.OneOf([.. OptionNames.All<DateOrder>()]);
        Option<char?> delimiter = flags.Add(ModelOptions.Delimiter(), nameof(O.Delimiter), (o, v) => o with { Delimiter = v });
        Option<char?> decimalSeparator = flags.Add(ModelOptions.Decimal(), nameof(O.Decimal), (o, v) => o with { Decimal = v });
        Option[] companions = [target, features, drop, keep, categorical, missing, dateOrder, delimiter, decimalSeparator];
        command.Validators.Add(result =>
        {
            if (result.GetResult(data) is not null)
            {
                // --data replaces the embedded data set, so naming both is a contradiction.
                if (result.GetResult(dataset) is { Implicit: false })
                {
                    result.AddError("--data: expected either --data FILE or --dataset NAME. Received: both.");
                }
                return;
            }
            foreach (Option option in companions)
            {
                if (result.GetResult(option) is { Implicit: false }) result.AddError($"{option.Name}: expected together with --data FILE.");
            }
        });
        return data;
    }

    // A flag that takes one of the library's names for a choice (not generic: the command is built at every start).
    private static void Choice(TrainFlags flags, string name, string description, string fallback, IReadOnlyList<string> names, string property,
        Func<O, string, O> apply)
    {
        Option<string> option = flags.Add(new Option<string>(name) { Description = description, DefaultValueFactory = _ => fallback }, property, apply);
        option.OneOf([.. names]);
    }

    // The values were checked against OptionNames.All by the parser.
    private static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        OptionNames.TryParse(text, out TEnum value) ? value : throw new ArgumentOutOfRangeException(nameof(text), text, null);

    // "256,256,256". A loop over the widths, not string.Join over ints or a spread: those are the framework's generic code over
    // int, which ReadyToRun cannot hold, compiled at the start of every run for a help text (docs/performance.md, "Start-up").
    private static string Widths(IReadOnlyList<int> widths)
    {
        var parts = new string[widths.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = widths[i].ToString(CultureInfo.InvariantCulture);
        return string.Join(",", parts);
    }

    private static int[] CopyOf(IReadOnlyList<int> widths)
    {
        var copy = new int[widths.Count];
        for (int i = 0; i < copy.Length; i++) copy[i] = widths[i];
        return copy;
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
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int width))
            {
                result.AddError($"--hidden: expected positive integers separated by commas (e.g. 64,32). Received: '{text}'.");
                return [];
            }
            widths.Add(width);
        }
        return [.. widths];
    }

    // --early-stopping's value: a patience, or none (null) to switch the quick recipe's off. A record, not an int?, because
    // System.CommandLine cannot take a null back from a custom parser; the range is the options record's check.
    internal sealed record Patience(int? Epochs);

    // "10" -> 10; "none" -> no early stopping.
    private static Patience ParsePatience(ArgumentResult result)
    {
        string text = string.Concat(result.Tokens.Select(t => t.Value)).Trim();
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new Patience(null);
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long patience))
        {
            result.AddError($"--early-stopping: expected a number of epochs (e.g. 10) or 'none'. Received: '{text}'.");
        }
        else if (patience > int.MaxValue)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"--early-stopping: expected an integer of at most {int.MaxValue:N0}. Received: '{text}'."));
        }
        return new Patience((int)Math.Clamp(patience, int.MinValue, int.MaxValue));
    }

    // "256MB", "1.5GB", "64 M", "1000000" (bytes) -> bytes; units of 1000 (KB, MB, GB, TB; the B may be left out).
    private static long? ParseSize(ArgumentResult result)
    {
        string text = string.Concat(result.Tokens.Select(t => t.Value)).Trim();
        int unit = text.Length;
        while (unit > 0 && char.IsAsciiLetter(text[unit - 1])) unit--;
        string suffix = text[unit..].ToUpperInvariant();
        double scale = suffix switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1e3,
            "M" or "MB" => 1e6,
            "G" or "GB" => 1e9,
            "T" or "TB" => 1e12,
            _ => 0,
        };
        if (scale == 0 || !double.TryParse(text[..unit].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || !(value * scale < long.MaxValue))
        {
            result.AddError($"--stream-memory: expected a size such as 512MB or 2GB. Received: '{text}'.");
            return 0;
        }
        return (long)(value * scale);
    }

    // "balanced" -> empty array; "1,2.5,1" -> the weights (their range is the options record's to check).
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
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double weight))
            {
                result.AddError($"--class-weight: expected 'balanced' or weights ≥ 0 separated by commas (e.g. 1,5). Received: '{text}'.");
                return null;
            }
            weights.Add(weight);
        }
        return [.. weights];
    }

    private static Option<string[]> List(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "a,b",
        // "a,b" or "a" "b" or repeated: one list of names, blanks removed.
        CustomParser = r =>
        {
            string[] names = r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
            if (names.Length == 0) r.AddError($"{name}: expected column names separated by commas. Received: '{string.Join(' ', r.Tokens.Select(t => t.Value))}'.");
            return names;
        },
    };
}
