using System.Globalization;
using System.Numerics;
using Backprop.Models;
using Backprop.Serialization;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>A model file read back to continue its training: the model, the options it was trained with, and where the run stood.</summary>
internal sealed class SavedTraining<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private SavedTraining(string source, TabularModel<T> model, SavedModel<T> file, TabularTrainingOptions options, int epochsCompleted,
        List<EpochRecord> history, TrainingStateEntry state)
    {
        Source = source;
        Model = model;
        File = file;
        Options = options;
        EpochsCompleted = epochsCompleted;
        History = history;
        State = state;
    }

    /// <summary>The file's path, as given.</summary>
    public string Source { get; }

    /// <summary>The model: network, preprocessing, output kind, target scaling.</summary>
    public TabularModel<T> Model { get; }

    /// <summary>The file's other entries (optimizer and generator state).</summary>
    public SavedModel<T> File { get; }

    /// <summary>The options of the run the file continues.</summary>
    public TabularTrainingOptions Options { get; }

    /// <summary>Epochs the model has trained.</summary>
    public int EpochsCompleted { get; }

    /// <summary>The loss curves of those epochs.</summary>
    public List<EpochRecord> History { get; }

    /// <summary>Best epoch, early-stopping and schedule bookkeeping.</summary>
    public TrainingStateEntry State { get; }

    /// <summary>Reads a model file written by a training run (<see cref="TabularTrainingResult{T}.Save"/>, <c>backprop train --save</c>, a checkpoint).</summary>
    /// <exception cref="BackpropException">The file is missing, malformed, or holds no training state (a model saved without it).</exception>
    public static SavedTraining<T> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        (TabularModel<T> model, SavedModel<T> file) = TabularModel<T>.FromSaved(ModelFile.Load<T>(path), path);
        IReadOnlyDictionary<string, string> metadata = file.Metadata;
        if (!metadata.TryGetValue(TrainingEntries.OptionsKey, out string? json))
        {
            throw new BackpropException($"Cannot resume from '{path}': it holds no training options (a model saved without them, such as by TabularModel.Save).");
        }
        (TabularTrainingOptions options, bool firstVersion) = TrainingEntries.ParseOptions(json, path);
        if (!int.TryParse(metadata.GetValueOrDefault(ModelCheckpoint<T>.EpochsCompletedKey), NumberStyles.None, CultureInfo.InvariantCulture, out int completed))
        {
            throw new BackpropException($"Cannot resume from '{path}': metadata '{ModelCheckpoint<T>.EpochsCompletedKey}' is '{metadata.GetValueOrDefault(ModelCheckpoint<T>.EpochsCompletedKey)}'; expected the number of epochs trained.");
        }
        if (firstVersion)
        {
            // Backprop 0.1 counted a resumed run's epochs from where it started; now a run's length counts from its first epoch.
            options = options with { Epochs = Math.Max(options.Epochs, completed) };
        }
        List<EpochRecord> history = TrainingEntries.ParseHistory(metadata.GetValueOrDefault(TrainingEntries.HistoryKey));
        history.RemoveAll(record => record.Epoch >= completed);
        TrainingStateEntry state = TrainingEntries.ParseState(metadata.GetValueOrDefault(TrainingEntries.StateKey), path);
        return new SavedTraining<T>(path, model, file, options, completed, history, state);
    }

    /// <summary>Checks that <paramref name="options"/> change nothing the saved model fixes.</summary>
    /// <exception cref="OptionException">An option that the network or the preprocessing fixes was changed, or the run is shorter than what is done.</exception>
    public void CheckChanges(TabularTrainingOptions options)
    {
        TabularTrainingOptions saved = Options;
        void Fixed(bool same, string option, string savedValue, string value)
        {
            if (!same) throw new OptionException(option, OptionPlaceholders.Escape($"{savedValue} (fixed by the model being resumed, '{Source}')"), value);
        }
        static string List<TItem>(IReadOnlyList<TItem>? items) => items is null or { Count: 0 } ? "none" : string.Join(",", items);
        Fixed(saved.HiddenLayers.SequenceEqual(options.HiddenLayers ?? []), nameof(options.HiddenLayers), List(saved.HiddenLayers), List(options.HiddenLayers));
        Fixed(saved.Activation == options.Activation || options.Activation is null, nameof(options.Activation), Name(saved.Activation), Name(options.Activation));
        Fixed(saved.Members == options.Members, nameof(options.Members), TabularTrainingOptions.Number(saved.Members), TabularTrainingOptions.Number(options.Members));
        Fixed(saved.Embedding == options.Embedding, nameof(options.Embedding), OptionNames.Name(saved.Embedding), OptionNames.Name(options.Embedding));
        Fixed(saved.FeatureScale == options.FeatureScale, nameof(options.FeatureScale), saved.FeatureScale ? "on" : "off", options.FeatureScale ? "on" : "off");
        Fixed(saved.Scaling == options.Scaling, nameof(options.Scaling), OptionNames.Name(saved.Scaling), OptionNames.Name(options.Scaling));
        Fixed(saved.PiecewiseLinearBins == options.PiecewiseLinearBins, nameof(options.PiecewiseLinearBins),
            TabularTrainingOptions.Number(saved.PiecewiseLinearBins), TabularTrainingOptions.Number(options.PiecewiseLinearBins));
        Fixed(saved.PiecewiseLinearRowsPerInput == options.PiecewiseLinearRowsPerInput, nameof(options.PiecewiseLinearRowsPerInput),
            TabularTrainingOptions.Number(saved.PiecewiseLinearRowsPerInput), TabularTrainingOptions.Number(options.PiecewiseLinearRowsPerInput));
        Fixed(saved.Parametrization == options.Parametrization, nameof(options.Parametrization), OptionNames.Name(saved.Parametrization), OptionNames.Name(options.Parametrization));
        Fixed(saved.Dropout == options.Dropout, nameof(options.Dropout), TabularTrainingOptions.Number(saved.Dropout), TabularTrainingOptions.Number(options.Dropout));
        Fixed(saved.Initialization == options.Initialization || options.Initialization is null, nameof(options.Initialization),
            Name(saved.Initialization), Name(options.Initialization));
        Fixed(saved.Loss == options.Loss || options.Loss is null, nameof(options.Loss), Name(saved.Loss), Name(options.Loss));
        Fixed(saved.Optimizer == options.Optimizer, nameof(options.Optimizer), OptionNames.Name(saved.Optimizer), OptionNames.Name(options.Optimizer));
        Fixed(saved.Task == options.Task || options.Task is null, nameof(options.Task), Name(saved.Task), Name(options.Task));
        Fixed(saved.Target == options.Target || options.Target is null, nameof(options.Target), TabularTrainingOptions.Quote(saved.Target), TabularTrainingOptions.Quote(options.Target));
        Fixed(Same(saved.Features, options.Features), nameof(options.Features), List(saved.Features), List(options.Features));
        Fixed(Same(saved.Drop, options.Drop), nameof(options.Drop), List(saved.Drop), List(options.Drop));
        Fixed(Same(saved.Categorical, options.Categorical), nameof(options.Categorical), List(saved.Categorical), List(options.Categorical));
        Fixed(Same(saved.Keep, options.Keep), nameof(options.Keep), List(saved.Keep), List(options.Keep));
        Fixed(saved.DateOrder == options.DateOrder, nameof(options.DateOrder), Name(saved.DateOrder), Name(options.DateOrder));
        Fixed(saved.Missing == options.Missing, nameof(options.Missing), OptionNames.Name(saved.Missing), OptionNames.Name(options.Missing));
        if (options.Epochs < EpochsCompleted)
        {
            throw new OptionException(nameof(options.Epochs),
                OptionPlaceholders.Escape($"at least the {Plural.Of(EpochsCompleted, "epoch")} '{Source}' has trained (a run's length counts from its first epoch)"), TabularTrainingOptions.Number(options.Epochs));
        }
    }

    private static bool Same(IReadOnlyList<string>? a, IReadOnlyList<string>? b) => (a ?? []).SequenceEqual(b ?? []);

    private static string Name<TEnum>(TEnum? value) where TEnum : struct, Enum => value is { } v ? OptionNames.Name(v) : "automatic";
}
