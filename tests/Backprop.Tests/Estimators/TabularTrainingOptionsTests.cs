using System.Text.Json;
using Backprop.Estimators;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;

namespace Backprop.Tests.Estimators;

public class TabularTrainingOptionsTests
{
    [Fact]
    public void The_notebook_preset_is_the_notebook()
    {
        TabularTrainingOptions notebook = TabularTrainingOptions.Notebook;
        Assert.Equal("iris", notebook.Dataset);
        Assert.Equal([16], notebook.HiddenLayers);
        Assert.Equal((OptimizerKind.Sgd, 0.01, 1, 50), (notebook.Optimizer, notebook.EffectiveLearningRate, notebook.BatchSize, notebook.Epochs));
        Assert.Equal((0.0, (int?)null, 0.0), (notebook.ValidationFraction, notebook.EarlyStopping, notebook.Momentum));
        Assert.Equal(Initialization.Normal, notebook.Initialization); // the notebook's own; the other recipes and Plain choose PyTorch's
        Assert.Null(TabularTrainingOptions.Plain.Initialization);
        Assert.Null(new TabularTrainingOptions().Initialization);
        notebook.Validate();
        new TabularTrainingOptions().Validate();
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, null, 0.01)]
    [InlineData(OptimizerKind.Adam, null, 0.001)]
    [InlineData(OptimizerKind.AdamW, null, 0.001)]
    [InlineData(OptimizerKind.Sgd, 0.2, 0.2)]
    [InlineData(OptimizerKind.Adam, 0.04, 0.04)]
    public void The_rate_not_given_is_the_optimizers_own(OptimizerKind optimizer, double? given, double used)
    {
        var options = new TabularTrainingOptions { Optimizer = optimizer, LearningRate = given }.Validate();
        Assert.Equal(used, options.EffectiveLearningRate);
        Assert.Equal(used, (TabularTrainingOptions.Notebook with { Optimizer = optimizer, LearningRate = given }).EffectiveLearningRate);
        // A cosine floor is checked against the rate the run will use.
        var floor = new TabularTrainingOptions { Optimizer = optimizer, LearningRate = given, Schedule = LearningRateSchedule.Parse("cosine:0:0.005") };
        if (used >= 0.005) floor.Validate();
        else Assert.Contains("a floor no higher than the LearningRate 0.001", Assert.Throws<OptionException>(() => floor.Validate()).Message);
    }

    [Theory]
    [InlineData("Epochs", "Epochs: expected an integer ≥ 0. Received: -1.")]
    [InlineData("LearningRate", "LearningRate: expected a positive number. Received: 0.")]
    [InlineData("Nesterov", "Nesterov: expected Optimizer sgd and Momentum > 0 with it. Received: adam with momentum 0.")]
    [InlineData("Momentum", "Momentum: expected 0 unless Optimizer is sgd (Adam's momentum is its first beta). Received: 0.9 with adam.")]
    [InlineData("Loss", "Loss: expected mse or huber when Task is regression. Received: bce.")]
    [InlineData("Schedule", "Schedule: expected a gamma in (0, 1]. Received: 'step:2:1.5'.")]
    [InlineData("CheckpointEvery", "CheckpointEvery: expected SavePath with it. Received: none.")]
    [InlineData("Data", "Data: expected either Data or Dataset. Received: both.")]
    [InlineData("PiecewiseLinearRowsPerInput", "PiecewiseLinearRowsPerInput: expected a number ≥ 0 (0 to put the numbers in bins whatever the table's size). Received: -1.")]
    [InlineData("PiecewiseLinearRowsPerInput NaN", "PiecewiseLinearRowsPerInput: expected a number ≥ 0 (0 to put the numbers in bins whatever the table's size). Received: NaN.")]
    public void Each_option_is_checked_once_with_what_was_expected_and_received(string option, string message)
    {
        TabularTrainingOptions wrong = option switch
        {
            "Epochs" => new() { Epochs = -1 },
            "LearningRate" => new() { LearningRate = 0 },
            "Nesterov" => new() { Nesterov = true },
            "Momentum" => new() { Momentum = 0.9 },
            "Loss" => new() { Task = TaskKind.Regression, Loss = LossKind.BinaryCrossEntropy },
            "Schedule" => new() { Schedule = new StepSchedule(2, 1.5) },
            "CheckpointEvery" => new() { CheckpointEvery = 2 },
            "PiecewiseLinearRowsPerInput" => new() { PiecewiseLinearRowsPerInput = -1 },
            "PiecewiseLinearRowsPerInput NaN" => new() { PiecewiseLinearRowsPerInput = double.NaN },
            _ => new() { Data = "a.csv", Dataset = "iris" },
        };
        OptionException error = Assert.Throws<OptionException>(() => wrong.Validate());
        Assert.Equal(option.Split(' ')[0], error.Option);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_front_end_names_the_options_its_own_way()
    {
        var error = new OptionException("Nesterov", "{Optimizer} sgd and {Momentum} > 0 with it", "adam with momentum 0");
        Dictionary<string, string> flags = new() { ["Nesterov"] = "--nesterov", ["Optimizer"] = "--optimizer", ["Momentum"] = "--momentum" };
        Assert.Equal("--nesterov: expected --optimizer sgd and --momentum > 0 with it. Received: adam with momentum 0.", error.Format(name => flags[name]));
    }

    public static TheoryData<string, TabularTrainingOptions> EntryCases() => new()
    {
        { "default", new TabularTrainingOptions() },
        { "notebook", TabularTrainingOptions.Notebook },
        { "tabular", TabularTrainingOptions.Tabular },
        {
            "everything set", new TabularTrainingOptions
            {
                Data = "d\u00e9j\u00e0 \"vu\".csv", Delimiter = '\t', Decimal = ',', ValidationData = "held.csv", Target = "kind", Features = ["a", "b"], Drop = ["id"],
                Categorical = ["zip"], Keep = ["row"], Scaling = NumericScaling.Robust, Missing = MissingValueStrategy.Error, Task = TaskKind.Regression,
                ValidationFraction = 0.1 + 0.2, Stream = true, StreamMemory = 3_000_000_000, Seed = ulong.MaxValue, HiddenLayers = [256, 128, 7],
                Activation = null, FeatureScale = true, Parametrization = Parametrization.Ntk, ZeroOutputLayer = true, Embedding = InputEmbedding.Periodic,
                Members = 8, CrossFit = false, Dropout = 1e-300, Initialization = Initialization.Ntk, Loss = LossKind.Huber, HuberDelta = 0.5,
                LabelSmoothing = null, Calibrate = true, BalancedClassWeights = true, ClassWeights = [0.5, 2, 1e10], Optimizer = OptimizerKind.AdamW,
                LearningRate = 0.04, Beta2 = 0.95, WeightDecay = 0.02, ClipNorm = null, Schedule = LearningRateSchedule.Parse("plateau:2:0.2"),
                Epochs = 0, BatchSize = 1, Shuffle = false, EarlyStopping = null, RestoreBest = true, MinDelta = 1e-4,
            }
        },
        { "whitespace and no lists", new TabularTrainingOptions { Delimiter = Backprop.Data.CsvReadOptions.Whitespace, Features = null, Schedule = LearningRateSchedule.Parse("step:5:0.5") } },
    };

    [Theory]
    [MemberData(nameof(EntryCases))]
    public void The_training_entry_written_by_hand_is_the_generated_serializers_to_the_byte(string name, TabularTrainingOptions options)
    {
        // Written by hand for start-up (no serializer metadata to compile); the generated serializer still reads it, and a new
        // option added to the record but not to the writer fails here.
        Assert.True(TrainingEntries.GeneratedOptionsJson(options) == TrainingEntries.OptionsJson(options), name);
    }

    [Fact]
    public void The_history_and_state_entries_written_by_hand_are_the_generated_serializers_to_the_byte()
    {
        TrainingHistoryEntry[] histories =
        [
            new(0, null, [], null, null, null, null),
            new(3, null, [1.5, 0.25, null], [2.0, null, 1e-300], 0.1 + 0.2, null, 1),
            new(4001, [0, 2, 4000], [3.0, 2.0, 1.0], null, 1.0, 0.5, 3999),
        ];
        foreach (TrainingHistoryEntry history in histories) Assert.Equal(TrainingEntries.GeneratedJson(history), TrainingEntries.HistoryEntryJson(history));
        TrainingStateEntry[] states =
        [
            new(-1, null, null, null),
            new(12, 0.123456789, new Backprop.Training.EarlyStoppingState(12, 0.123456789, 3), new Backprop.Training.LearningRateSchedulerState(2, 0.5, 1)),
            new(0, 1e300, new Backprop.Training.EarlyStoppingState(), new Backprop.Training.LearningRateSchedulerState()),
        ];
        foreach (TrainingStateEntry state in states) Assert.Equal(TrainingEntries.GeneratedJson(state), TrainingEntries.StateJson(state));
    }

    [Fact]
    public void Every_option_round_trips_through_the_model_file_entry_and_a_seed_stays_exact_above_two_to_the_53()
    {
        var options = new TabularTrainingOptions
        {
            Data = "pets.csv", Delimiter = ';', Decimal = ',', ValidationData = "held.csv", Target = "kind", Features = ["a", "b"], Drop = ["id"], Categorical = ["zip"],
            Missing = MissingValueStrategy.Median, Task = TaskKind.Classification, ValidationFraction = 0, Seed = ulong.MaxValue - 2,
            HiddenLayers = [64, 32], Activation = Activation.LeakyRelu, Dropout = 0.25, Initialization = Initialization.XavierUniform,
            Loss = LossKind.BinaryCrossEntropy, HuberDelta = 2, LabelSmoothing = 0, ClassWeights = [1, 2.5],
            Optimizer = OptimizerKind.Sgd, LearningRate = 0.3, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4, ClipNorm = 1.5,
            Schedule = new CosineSchedule(3, 1e-5), Epochs = 7, BatchSize = 9, Shuffle = false, EarlyStopping = 4, MinDelta = 0.001,
            SavePath = "not-saved.safetensors", CheckpointEvery = 2, PiecewiseLinearBins = 12, PiecewiseLinearRowsPerInput = 1.5,
        };
        string json = TrainingEntries.OptionsJson(options);
        (TabularTrainingOptions back, bool firstVersion) = TrainingEntries.ParseOptions(json, "m.safetensors");
        Assert.False(firstVersion);
        Assert.Equal(json, TrainingEntries.OptionsJson(back));
        Assert.Equal(ulong.MaxValue - 2, back.Seed);
        Assert.Equal(new CosineSchedule(3, 1e-5), back.Schedule);
        Assert.Equal(',', back.Decimal);
        Assert.Equal(Initialization.XavierUniform, back.Initialization);
        Assert.Equal((12, 1.5), (back.PiecewiseLinearBins, back.PiecewiseLinearRowsPerInput));
        // Where the model goes is not an option of the model: not in the file.
        Assert.Null(back.SavePath);
        Assert.Null(back.CheckpointEvery);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(TrainingEntries.OptionsVersion, document.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("leaky-relu", document.RootElement.GetProperty("activation").GetString());
        Assert.Equal("cosine:3:1E-05", document.RootElement.GetProperty("schedule").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("dataset").ValueKind); // every option written, defaults and nulls too
    }

    [Theory]
    [InlineData(';', "\";\"")]
    [InlineData('\t', "\"\\t\"")]                 // as before whitespace existed: old files keep their bytes
    [InlineData(' ', "\"space\"")]
    [InlineData(Backprop.Data.CsvReadOptions.Whitespace, "\"whitespace\"")]
    [InlineData(null, "null")]
    public void A_delimiter_is_spelled_in_the_file_as_on_the_command_line(char? delimiter, string json)
    {
        string entry = TrainingEntries.OptionsJson(new TabularTrainingOptions { Delimiter = delimiter });
        Assert.Contains($"\"delimiter\":{json},", entry);
        Assert.Equal(delimiter, TrainingEntries.ParseOptions(entry, "m.safetensors").Options.Delimiter);
    }

    [Fact]
    public void A_delimiter_or_decimal_separator_the_reader_cannot_use_is_refused_by_the_options()
    {
        OptionException error = Assert.Throws<OptionException>(() => new TabularTrainingOptions { Delimiter = '#' }.Validate());
        Assert.Equal("Delimiter: expected a tab, a space, whitespace or an ASCII punctuation character other than \" and #. Received: '#'.", error.Message);
        new TabularTrainingOptions { Delimiter = ' ' }.Validate();
        Assert.Equal("Decimal: expected '.' or ','. Received: ';'.", Assert.Throws<OptionException>(() => new TabularTrainingOptions { Decimal = ';' }.Validate()).Message);
        new TabularTrainingOptions { Delimiter = Backprop.Data.CsvReadOptions.Whitespace }.Validate();
    }

    [Theory]
    // Batches of 32: 161 rows are 6 steps an epoch, so 250 steps are 42 epochs; 40,455 rows are 1,265 steps, and 5 epochs are longer.
    [InlineData(5, 250, 161, 42)]
    [InlineData(5, 250, 40_455, 5)]
    [InlineData(5, 250, 1_600, 5)]     // 50 steps an epoch: 5 epochs are the 250 steps
    [InlineData(5, 250, 1_599, 5)]
    [InlineData(5, 250, 1_568, 6)]     // 49 steps an epoch: 5 epochs are 245
    [InlineData(5, 0, 161, 5)]
    [InlineData(10, 250, 32, 250)]     // one step an epoch
    [InlineData(null, 250, 161, null)]
    public void The_patience_is_the_longer_of_the_epochs_and_the_steps(int? epochs, int steps, long rows, int? patience) =>
        Assert.Equal(patience, new TabularTrainingOptions { EarlyStopping = epochs, EarlyStoppingSteps = steps, BatchSize = 32 }.PatienceEpochs(rows));

    [Theory]
    // Before version 7 early stopping counted epochs alone: a file of then resumes without the steps.
    [InlineData("""{"version":1,"early_stopping":5}""", 0)]
    [InlineData("""{"version":5,"early_stopping":5}""", 0)]
    [InlineData("""{"version":6,"early_stopping":5}""", 0)]
    [InlineData("""{"version":7,"early_stopping":5}""", TabularTrainingOptions.DefaultEarlyStoppingSteps)]
    [InlineData("""{"version":7,"early_stopping":5,"early_stopping_steps":40}""", 40)]
    [InlineData("""{"data":"embedded:wine","epochs":20}""", 0)]
    public void A_file_from_before_the_patience_in_steps_resumes_without_it(string entry, int steps) =>
        Assert.Equal(steps, TrainingEntries.ParseOptions(entry, "old.safetensors").Options.EarlyStoppingSteps);

    [Theory]
    // Before version 8 the bins were made whatever the table's size: a file of then resumes that way (0 rows an input).
    [InlineData("""{"version":1}""", 0)]
    [InlineData("""{"version":6}""", 0)]
    [InlineData("""{"version":7,"piecewise_linear_bins":8}""", 0)]
    [InlineData("""{"version":8}""", TabularTrainingOptions.DefaultPiecewiseLinearRowsPerInput)]
    [InlineData("""{"version":8,"piecewise_linear_rows_per_input":0.5}""", 0.5)]
    [InlineData("""{"data":"embedded:wine","epochs":20}""", 0)]
    public void A_file_from_before_the_rows_the_bins_need_resumes_without_that_rule(string entry, double rows) =>
        Assert.Equal(rows, TrainingEntries.ParseOptions(entry, "old.safetensors").Options.PiecewiseLinearRowsPerInput);

    [Theory]
    // 8 bins of 3 columns are 24 inputs: 2 rows each is 48.
    [InlineData(47, 24, 2.0, true)]
    [InlineData(48, 24, 2.0, false)]
    [InlineData(47, 24, 0.0, false)]      // 0: bins whatever the size
    [InlineData(10, 0, 2.0, false)]       // no bins to drop
    [InlineData(23, 24, 1.0, true)]
    [InlineData(24, 24, 1.0, false)]
    public void The_bins_need_their_rows(long rows, long binInputs, double rowsPerInput, bool tooFew) =>
        Assert.Equal(tooFew, new TabularTrainingOptions { PiecewiseLinearRowsPerInput = rowsPerInput }.TooFewRowsForBins(rows, binInputs));

    [Fact]
    public void An_entry_written_by_Backprop_0_1_is_read_with_that_version_s_defaults()
    {
        const string legacy = """{"data":"embedded:wine","epochs":20,"batch_size":8,"learning_rate":0.01,"hidden":[16],"activation":"relu","optimizer":"sgd","init":"xavieruniform","task":"classification","loss":"cross-entropy","schedule":"cosine:2","seed":0,"shuffle":true,"precision":"f32","validation":0.2}""";
        (TabularTrainingOptions options, bool firstVersion) = TrainingEntries.ParseOptions(legacy, "old.safetensors");
        Assert.True(firstVersion);
        Assert.Equal(("wine", (string?)null), (options.Dataset, options.Data));
        Assert.Null(options.EarlyStopping);     // absent in 0.1: off
        Assert.Equal(0, options.Momentum);
        Assert.Equal(Initialization.XavierUniform, options.Initialization);
        Assert.Equal(new CosineSchedule(2), options.Schedule);
        Assert.Equal(0.2, options.ValidationFraction);
    }

    [Theory]
    [InlineData("""{"version":9,"epochs":3}""", "the 'training' entry has version 9")]
    [InlineData("""{"version":1,"epochs":-3}""", "the 'training' entry is invalid: Epochs: expected an integer ≥ 0. Received: -3.")]
    [InlineData("""{"version":1,"optimizer":"adamx"}""", "the 'training' entry is invalid: Expected one of sgd, adam, adamw. Received: 'adamx'")]
    [InlineData("""{"version":1,"schedule":"sideways"}""", "the 'training' entry is invalid")]
    [InlineData("""[1,2]""", "the 'training' entry is invalid")]
    public void A_malformed_entry_is_one_clear_error(string json, string message)
    {
        BackpropException error = Assert.Throws<BackpropException>(() => TrainingEntries.ParseOptions(json, "m.safetensors"));
        Assert.StartsWith("m.safetensors: ", error.Message);
        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Every_choice_has_one_spelling_that_reads_back()
    {
        foreach (string name in OptionNames.All<Activation>()) Assert.True(OptionNames.TryParse(name, out Activation _));
        Assert.Equal(["sgd", "adam", "adamw"], OptionNames.All<OptimizerKind>());
        Assert.Equal(["cross-entropy", "bce", "mse", "huber"], OptionNames.All<LossKind>());
        Assert.Equal(["pytorch", "normal", "xavier", "he", "ntk", "zeros"], OptionNames.All<Initialization>());
        Assert.Equal("leaky-relu", OptionNames.Name(Activation.LeakyRelu));
        Assert.True(OptionNames.TryParse("HeNormal", out Initialization he) && he == Initialization.HeNormal); // an older spelling
        Assert.False(OptionNames.TryParse("adamx", out OptimizerKind _));
    }

    [Fact]
    public void Options_the_chosen_optimizer_loss_or_loop_does_not_use_are_named_once_each()
    {
        Assert.Equal(["Beta2 0.9 is unused: it is the second-moment decay of adam and adamw, and Optimizer is sgd"],
            Unused(new() { Optimizer = OptimizerKind.Sgd, Beta2 = 0.9, Loss = LossKind.CrossEntropy }));
        Assert.Equal(["HuberDelta 2 is unused: the loss is mse (Loss huber to use it)"],
            Unused(new() { HuberDelta = 2, Loss = LossKind.MeanSquaredError }));
        Assert.Equal(["MinDelta 0.01 does not change the model without EarlyStopping or RestoreBest: the run keeps its last epoch"],
            Unused(new() { MinDelta = 0.01, EarlyStopping = null, Loss = LossKind.CrossEntropy }));
        Assert.Equal(["EarlyStoppingSteps 100 is unused: it is early stopping's patience in steps, and EarlyStopping is none"],
            Unused(new() { EarlyStoppingSteps = 100, EarlyStopping = null, Loss = LossKind.CrossEntropy }));
        Assert.Equal(["Dropout 0.2 is unused: it drops hidden units, and HiddenLayers is none"],
            Unused(new() { Dropout = 0.2, HiddenLayers = [], Loss = LossKind.CrossEntropy }));
        Assert.Equal(["PiecewiseLinearRowsPerInput 4 is unused: it decides when a table is too small for the bins, and PiecewiseLinearBins is 0"],
            Unused(new() { PiecewiseLinearRowsPerInput = 4, PiecewiseLinearBins = 0, Loss = LossKind.CrossEntropy }));
        Assert.Equal(["StreamMemory 50 MB is unused: the data is read whole, not streamed (Stream to stream it)"],
            Unused(new() { StreamMemory = 50_000_000, Loss = LossKind.CrossEntropy }));
        Assert.Equal(3, Unused(new() { Optimizer = OptimizerKind.Sgd, Beta2 = 0.9, HuberDelta = 0.5, MinDelta = 1, EarlyStopping = null, Loss = LossKind.CrossEntropy }).Length);
    }

    [Fact]
    public void Options_in_use_and_the_recipes_as_they_are_warn_of_nothing()
    {
        Assert.Empty(Unused(new() { Beta2 = 0.9, Loss = LossKind.CrossEntropy }));                        // adam uses it
        Assert.Empty(Unused(new() { Optimizer = OptimizerKind.AdamW, Beta2 = 0.9, Loss = LossKind.CrossEntropy }));
        Assert.Empty(Unused(new() { HuberDelta = 2, Loss = LossKind.Huber }));
        Assert.Empty(Unused(new() { MinDelta = 0.01, EarlyStopping = 3, Loss = LossKind.MeanSquaredError }));
        Assert.Empty(Unused(new() { MinDelta = 0.01, EarlyStopping = null, RestoreBest = true, Loss = LossKind.MeanSquaredError }));
        Assert.Empty(Unused(new() { Dropout = 0.2, HiddenLayers = [8], Loss = LossKind.CrossEntropy }));
        Assert.Empty(Unused(new() { EarlyStoppingSteps = 100, EarlyStopping = 3, Loss = LossKind.CrossEntropy }));
        // 0 steps without early stopping is what a file from before the steps resumes with (the notebook's, among them): it asks for nothing.
        Assert.Empty(Unused(new() { EarlyStoppingSteps = 0, EarlyStopping = null, Loss = LossKind.CrossEntropy }));
        Assert.Empty(Unused(new() { StreamMemory = 50_000_000, Stream = true, Loss = LossKind.CrossEntropy }));
        Assert.Empty(Unused(new() { PiecewiseLinearRowsPerInput = 4, Loss = LossKind.CrossEntropy }));
        // 0 without bins is what a file from before the rule resumes with.
        Assert.Empty(Unused(new() { PiecewiseLinearRowsPerInput = 0, PiecewiseLinearBins = 0, Loss = LossKind.CrossEntropy }));
        foreach (TabularTrainingOptions recipe in (TabularTrainingOptions[])[TabularTrainingOptions.Notebook, TabularTrainingOptions.Plain, new(), TabularTrainingOptions.Tabular])
        {
            foreach (LossKind loss in (LossKind[])[LossKind.CrossEntropy, LossKind.MeanSquaredError])
            {
                Assert.Empty(Unused(recipe with { Loss = loss }));
            }
        }
        // A recipe's own choice that another flag makes moot is named too: the tabular recipe's β₂ under SGD.
        Assert.Equal(["Beta2 0.95 is unused: it is the second-moment decay of adam and adamw, and Optimizer is sgd"],
            Unused(TabularTrainingOptions.Tabular with { Optimizer = OptimizerKind.Sgd, Loss = LossKind.CrossEntropy }));
    }

    private static string[] Unused(TabularTrainingOptions options) =>
        [.. options.UnusedOptionWarnings().Select(template => new TrainingNote(true, template).Text)];
}
