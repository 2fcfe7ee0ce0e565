using System.Globalization;
using System.Numerics;
using Backprop.Data;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>What <see cref="MlpClassifier{T}"/> and <see cref="MlpRegressor{T}"/> share: the options, the trained model, saving and loading.</summary>
/// <remarks>
/// <para>
/// An estimator is a thin layer over <see cref="TabularTrainer{T}"/>: a matrix becomes a table of numeric columns <c>x0 … x{F−1}</c>
/// and a target column, which goes through the same preprocessing and training as a CSV file given to <c>backprop train</c>
/// with the same options; so a model fitted here opens in <c>backprop info</c>, <c>predict</c> and <c>export</c>, and a model
/// trained by the command line loads into an estimator (<c>Load</c>). Missing values (NaN) in the features are imputed.
/// </para>
/// <para>
/// Once fitted, the prediction methods may be called from many threads at once; <c>Fit</c> must not run at the same time on
/// the same estimator. Different estimators share no training state and may be fitted concurrently.
/// </para>
/// </remarks>
public abstract class MlpEstimator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name of the target column of a table built from a matrix.</summary>
    private protected const string TargetColumn = "y";

    private TabularModel<T>? _model;
    private TabularTrainingResult<T>? _result;

    /// <summary>Takes <paramref name="options"/> (the defaults when <see langword="null"/>) for the task <paramref name="task"/>.</summary>
    /// <exception cref="OptionException">An option is out of range, contradicts another, or does not fit the task.</exception>
    private protected MlpEstimator(TabularTrainingOptions? options, TaskKind task)
    {
        options ??= new TabularTrainingOptions();
        if (options.Task is { } given && given != task)
        {
            throw new OptionException(nameof(options.Task), $"{OptionNames.Name(task)} (or none) for this estimator", OptionNames.Name(given));
        }
        Options = (options with { Task = task }).Validate();
    }

    /// <summary>The options every <c>Fit</c> trains with (its task set to the estimator's).</summary>
    public TabularTrainingOptions Options { get; }

    /// <summary>The trained model: preprocessing, network, output; what <see cref="Save"/> writes.</summary>
    /// <exception cref="InvalidOperationException">Before <c>Fit</c> or <c>Load</c>.</exception>
    public TabularModel<T> Model => _model ?? throw NotFitted();

    /// <summary>The options the model was trained with, every automatic choice made (those of the file, for a loaded model).</summary>
    public TabularTrainingOptions? TrainedOptions { get; private set; }

    /// <summary>One record per epoch of the last <c>Fit</c>: training loss, validation loss and the main metric.</summary>
    public IReadOnlyList<EpochRecord> History => _result?.History ?? [];

    /// <summary>The epoch whose weights the model holds (the best validation epoch with early stopping, else the last), or null before <c>Fit</c>.</summary>
    public int? BestEpoch => _result is null ? null : _result.BestEpoch ?? _result.EpochsCompleted - 1;

    /// <summary>Fits to a CSV file with the estimator's options; <see cref="TabularTrainingOptions.Target"/> names the target column (default: the last).</summary>
    private protected void FitFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Keep(new TabularTrainer<T>(Options with { Data = path, Dataset = null }).Fit());
    }

    /// <summary>Fits to a table (read from a file or built in memory).</summary>
    private protected void FitTable(Table table, Table? validation = null) => Keep(new TabularTrainer<T>(Options).Fit(table, validation));

    /// <summary>A table of numeric columns <c>x0 … x{F−1}</c> from <paramref name="features"/>, and <paramref name="target"/> as column <see cref="TargetColumn"/>.</summary>
    private protected static Table TableOf(Matrix<T> features, Func<int, double> target)
    {
        ArgumentNullException.ThrowIfNull(features);
        (string, bool)[] header = [.. Enumerable.Range(0, features.Columns).Select(c => (Name(c), false)), (TargetColumn, false)];
        return Table.FromColumns("the feature matrix", header, features.Rows,
            (r, c) => c < features.Columns ? double.CreateChecked(features[r, c]) : target(r), (_, _) => null);
    }

    /// <summary>
    /// What the model makes of the rows of <paramref name="features"/> (column <c>k</c> of the matrix is the model's feature
    /// column <c>k</c>): <paramref name="encoded"/> on the model's inputs, encoded straight from the numbers, which is what the
    /// table of <see cref="Inputs"/> would give; <paramref name="table"/> on that table where only its path can say what is wrong
    /// (an infinite value, a missing one with <see cref="MissingValueStrategy.Error"/>, an output out of range: by column and row).
    /// </summary>
    /// <exception cref="ArgumentException">The matrix has another number of columns, or the model has a categorical input (give a table instead).</exception>
    private protected TResult Predicted<TResult>(Matrix<T> features, Func<Matrix<T>, TResult> encoded, Func<Table, TResult> table)
    {
        Table? rows = null;
        // A single row through a table of its own took two thirds of a prediction's time (measured: 43 µs a row, 28 µs of them
        // the table, for the default ensemble on 20 numbers).
        if (Model.Preprocessor.EncodeNumbers(Checked(features)) is { } inputs)
        {
            try
            {
                return encoded(inputs);
            }
            catch (BackpropException)
            {
                // An output out of range: the table's path names the column and row it came from.
                rows = Inputs(features);
            }
        }
        return table(rows ?? Inputs(features));
    }

    // The matrix as the model can take it, or the reason it cannot.
    private Matrix<T> Checked(Matrix<T> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        FeatureColumnState[] columns = Model.Preprocessor.State.Features;
        if (features.Columns != columns.Length)
        {
            throw new ArgumentException($"Expected {columns.Length} feature columns, as in training ({string.Join(", ", columns.Select(c => c.Name))}). Received: {features.Columns}.", nameof(features));
        }
        if (columns.FirstOrDefault(c => c.Kind is FeatureKind.Categorical or FeatureKind.Date) is { } text)
        {
            throw new ArgumentException($"Expected numeric inputs. Received: a model whose column '{text.Name}' is {(text.Kind == FeatureKind.Date ? "dates" : "categorical")}; predict from a Table.", nameof(features));
        }
        return features;
    }

    /// <summary>The rows of <paramref name="features"/> as the model's input table: column <c>k</c> of the matrix is the model's feature column <c>k</c>.</summary>
    /// <exception cref="ArgumentException">The matrix has another number of columns, or the model has a categorical input (give a table instead).</exception>
    private protected Table Inputs(Matrix<T> features)
    {
        Checked(features);
        FeatureColumnState[] columns = Model.Preprocessor.State.Features;
        (string, bool)[] header = columns.Select(c => (c.Name, c.Kind == FeatureKind.Boolean)).ToArray();
        return Table.FromColumns("the feature matrix", header, features.Rows,
            (r, c) => double.CreateChecked(features[r, c]),
            (r, c) => T.IsNaN(features[r, c]) ? null : features[r, c] != T.Zero ? "true" : "false");
    }

    /// <summary>
    /// Saves the model with everything a resumed run needs (options, history, optimizer and generator state), atomically:
    /// the file <c>backprop train --save</c> writes.
    /// </summary>
    /// <exception cref="InvalidOperationException">Before <c>Fit</c> or <c>Load</c>.</exception>
    /// <exception cref="BackpropException">The file could not be written; a previous file at <paramref name="path"/> is intact.</exception>
    public void Save(string path)
    {
        if (_result is not null) _result.Save(path);
        else Model.Save(path);
    }

    /// <summary>Loads a model file (from <see cref="Save"/>, <c>backprop train --save</c> or a checkpoint) into this estimator.</summary>
    /// <exception cref="BackpropException">The file is missing, malformed, or holds a model of another task.</exception>
    private protected void LoadFile(string path, TaskKind task)
    {
        TabularModel<T> model = TabularModel<T>.Load(path);
        if (model.Task != task)
        {
            throw new BackpropException($"Expected a {OptionNames.Name(task)} model in '{path}'. Received: a {OptionNames.Name(model.Task)} model.");
        }
        _model = model;
        _result = null;
        TrainedOptions = model.Metadata.TryGetValue(TrainingEntries.OptionsKey, out string? json) ? TrainingEntries.ParseOptions(json, path).Options : null;
        Loaded();
    }

    /// <summary>Called when a model is fitted or loaded, for the subclass to read what it needs from <see cref="Model"/>.</summary>
    private protected abstract void Loaded();

    private void Keep(TabularTrainingResult<T> result)
    {
        _result = result;
        _model = result.Model;
        TrainedOptions = result.Options;
        Loaded();
    }

    private static string Name(int column) => string.Create(CultureInfo.InvariantCulture, $"x{column}");

    private static InvalidOperationException NotFitted() => new("The estimator is not fitted yet: call Fit or Load first.");
}
