using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Serialization.Onnx;
using Backprop.Tensors;
using Backprop.Layers;
using Backprop.Losses;

namespace Backprop.Models;

/// <summary>
/// A trained model for tabular data, whole: the preprocessing fitted on the training data, the network, and how its outputs become
/// predictions (class probabilities or un-scaled values). This is what <c>train --save</c> writes and <c>evaluate</c>, <c>predict</c>,
/// <c>info</c> and <c>export</c> read.
/// </summary>
/// <remarks>
/// Saved as one model file (<see cref="ModelFile"/>): the network's tensors, plus metadata entries <c>task</c>, <c>output</c>,
/// <c>preprocessing</c> (the <see cref="TabularPreprocessorState"/> as JSON), <c>target_scaling</c> (regression) and any
/// caller entries such as <c>training</c> and <c>history</c>. Prediction is thread-safe (see <see cref="Sequential{T}.Predict"/>).
/// </remarks>
public sealed class TabularModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Metadata key of the task (<c>classification</c> or <c>regression</c>).</summary>
    public const string TaskKey = "task";

    /// <summary>Metadata key of the output kind (<c>softmax</c>, <c>sigmoid</c> or <c>identity</c>).</summary>
    public const string OutputKey = "output";

    /// <summary>Metadata key of the preprocessing state (JSON).</summary>
    public const string PreprocessingKey = "preprocessing";

    /// <summary>Metadata key of the regression target scaling (JSON <c>{"mean":…,"scale":…}</c>).</summary>
    public const string TargetScalingKey = "target_scaling";

    /// <summary>Metadata key of the number of ensemble members (<see cref="Members"/>), written when there are several.</summary>
    public const string MembersKey = "members";

    /// <summary>Metadata key of the temperature that divides a classifier's logits (<see cref="Temperature"/>), written when it is not 1.</summary>
    public const string TemperatureKey = "temperature";

    /// <summary>Tensor name of the held-out rows' nonconformity scores (<see cref="ConformalScores"/>), written when there are some.</summary>
    public const string ConformalScoresTensor = "conformal.scores";

    /// <summary>Metadata key of the sizes of the <see cref="ConformalScoresTensor"/>'s folds (a JSON array), written when there are several.</summary>
    public const string ConformalFoldsKey = "conformal_folds";

    /// <summary>Bundles a trained <paramref name="network"/> with its <paramref name="preprocessor"/>.</summary>
    /// <exception cref="ArgumentException">The network's input or output size does not fit the preprocessing and output kind.</exception>
    /// <param name="network">From encoded features to raw outputs (each member's, side by side, for an ensemble).</param>
    /// <param name="preprocessor">The fitted preprocessing.</param>
    /// <param name="output">How raw outputs become predictions.</param>
    /// <param name="targetScaling">Regression target standardization; <see langword="null"/> for none.</param>
    /// <param name="metadata">Further model-file metadata entries.</param>
    /// <param name="extraTensors">Further model-file tensors (optimizer state).</param>
    /// <param name="members">Networks trained side by side whose outputs <paramref name="network"/> gives side by side (<see cref="Members"/>).</param>
    /// <param name="temperature">Divides a classifier's logits before its probabilities (<see cref="Temperature"/>); 1 for none.</param>
    /// <param name="conformalScores">Held-out rows' nonconformity scores (<see cref="ConformalScores"/>); <see langword="null"/> for none.</param>
    public TabularModel(Sequential<T> network, TabularPreprocessor preprocessor, OutputKind output, TargetScaling? targetScaling = null,
        IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyList<SafeTensor>? extraTensors = null, int members = 1, double temperature = 1,
        ConformalScores? conformalScores = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        if (!(temperature > 0) || !double.IsFinite(temperature) || (output == OutputKind.Identity && temperature != 1))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Expected a positive, finite temperature, and 1 for a regression.");
        }
        if (conformalScores is not null && conformalScores.Folds.Count != 1 && conformalScores.Folds.Count != members)
        {
            throw new ArgumentException($"Expected one fold of scores, or one per member ({members}). Received: {conformalScores.Folds.Count}.", nameof(conformalScores));
        }
        Members = members;
        Temperature = temperature;
        ConformalScores = conformalScores;
        Network = network ?? throw new ArgumentNullException(nameof(network));
        Preprocessor = preprocessor ?? throw new ArgumentNullException(nameof(preprocessor));
        Output = output;
        TargetScaling = targetScaling ?? TargetScaling.None;
        Metadata = metadata ?? new Dictionary<string, string>();
        ExtraTensors = extraTensors ?? [];
        if (network.InputFeatures != preprocessor.FeatureCount)
        {
            throw new ArgumentException($"Expected a network with {preprocessor.FeatureCount} inputs (the encoded features). Received: {network.InputFeatures}.", nameof(network));
        }
        int classes = preprocessor.ClassNames?.Count ?? -1;
        int expectedOutputs = output switch
        {
            OutputKind.Softmax => classes,
            OutputKind.Sigmoid => classes == 2 ? 1 : classes,
            _ => 1,
        };
        bool taskMatches = (output == OutputKind.Identity) == (preprocessor.Task == TaskKind.Regression);
        if (!taskMatches || network.OutputFeatures != expectedOutputs * (long)members)
        {
            string ensemble = members > 1 ? $" from each of {members} members" : "";
            throw new ArgumentException(
                $"Expected a network with {expectedOutputs} output(s){ensemble} for {output} on a {preprocessor.Task} target. Received: {network.OutputFeatures} output(s).",
                nameof(network));
        }
    }

    /// <summary>
    /// Networks trained side by side as one ensemble: the <see cref="Network"/>'s outputs are theirs side by side, and a prediction
    /// averages them (<see cref="CombineMembers"/>). 1 for a single network.
    /// </summary>
    public int Members { get; }

    /// <summary>
    /// A classifier's logits are divided by it before they become probabilities (temperature scaling, fitted on held-out rows
    /// by <see cref="TemperatureScaling.Fit"/>): calibrated probabilities, the same predicted classes. 1 for none, and for a regression.
    /// </summary>
    public double Temperature { get; }

    /// <summary>
    /// Nonconformity scores of the rows held out in training, for conformal prediction (<see cref="PredictIntervals"/>,
    /// <see cref="PredictSets"/>): one fold scored by the whole model (a validation split), or one per member (cross-fitting).
    /// <see langword="null"/> when the run held out no rows.
    /// </summary>
    public ConformalScores? ConformalScores { get; }

    /// <summary>This model with another <see cref="Temperature"/> and <see cref="ConformalScores"/> (the network and everything else shared).</summary>
    public TabularModel<T> Calibrated(double temperature, ConformalScores? conformalScores) =>
        new(Network, Preprocessor, Output, TargetScaling, Metadata, ExtraTensors, Members, temperature, conformalScores);

    /// <summary>How this model's members average, for an output kind: values for regression, probabilities for classes.</summary>
    public static MemberAverage AverageOf(OutputKind output) => output switch
    {
        OutputKind.Softmax => MemberAverage.SoftmaxProbabilities,
        OutputKind.Sigmoid => MemberAverage.SigmoidProbabilities,
        _ => MemberAverage.Values,
    };

    /// <summary>
    /// The members' raw outputs <c>(N, M·O)</c> averaged into one raw output <c>(N, O)</c> in the same terms (logits whose softmax
    /// is the mean of the members' probabilities, or the mean value; <see cref="EnsembleLoss{T}.Combine"/>); the outputs
    /// themselves for a single network.
    /// </summary>
    public Matrix<T> CombineMembers(Matrix<T> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        return Members == 1 ? outputs : Average(outputs, []);
    }

    // outputs (N, M·O) -> (N, O), each row over the members include flags (N·M), or over all of them when include is empty.
    private Matrix<T> Average(Matrix<T> outputs, ReadOnlySpan<T> include)
    {
        var combined = new Matrix<T>(outputs.Rows, outputs.Columns / Members);
        EnsembleLoss<T>.Combine(outputs.Data, combined.Data, outputs.Rows, Members, AverageOf(Output), include);
        return combined;
    }

    /// <summary>The network, from encoded features to raw outputs.</summary>
    public Sequential<T> Network { get; }

    /// <summary>The preprocessing fitted on the training data.</summary>
    public TabularPreprocessor Preprocessor { get; }

    /// <summary>How raw outputs become predictions.</summary>
    public OutputKind Output { get; }

    /// <summary>Regression target standardization (<see cref="TargetScaling.None"/> for classification).</summary>
    public TargetScaling TargetScaling { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task => Preprocessor.Task;

    /// <summary>Class labels by index (classification), or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? ClassLabels => Preprocessor.ClassNames;

    /// <summary>Other metadata saved with the model (for example <c>training</c> and <c>history</c> as JSON).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensors saved with the model beside the network's (for example <c>optimizer.state</c>), written back by <see cref="Save"/>.</summary>
    /// <remarks>With <see cref="Metadata"/>, what makes a model loaded and saved again the same file.</remarks>
    public IReadOnlyList<SafeTensor> ExtraTensors { get; }

    /// <summary>The preprocessing, then the network, one layer per line.</summary>
    public override string ToString() => $"{Preprocessor}{Environment.NewLine}{Network}";

    /// <summary>Class probabilities <c>(N, C)</c> for encoded features <c>(N, F)</c>.</summary>
    /// <exception cref="InvalidOperationException">The model is a regressor.</exception>
    /// <exception cref="BackpropException">An input is so far from anything seen in training that the network overflows (the message names the row).</exception>
    public Matrix<T> PredictProbabilities(Matrix<T> features)
    {
        Matrix<T> probabilities = Probabilities(features);
        CheckFinite(probabilities.Data, probabilities.Columns, features, null);
        return probabilities;
    }

    /// <summary>Class probabilities <c>(N, C)</c> for the rows of a raw table.</summary>
    /// <param name="table">Rows with the training columns, by name, read with the preprocessor's <see cref="TabularPreprocessor.ReadOptions"/>.</param>
    /// <param name="warnings">Receives a line per column with categories not seen in training.</param>
    /// <param name="notes">Receives a line per column whose missing cells were imputed.</param>
    /// <exception cref="BackpropException">A cell does not fit its column, or is so far from anything seen in training that the network overflows (the message names it).</exception>
    public Matrix<T> PredictProbabilities(Table table, ICollection<string>? warnings = null, ICollection<string>? notes = null)
    {
        Matrix<T> features = Preprocessor.TransformFeatures<T>(table, warnings: warnings, notes: notes);
        Matrix<T> probabilities = Probabilities(features);
        CheckFinite(probabilities.Data, probabilities.Columns, features, table);
        return probabilities;
    }

    /// <summary>Predicted values in the target's units, one per row of encoded features <c>(N, F)</c>.</summary>
    /// <exception cref="InvalidOperationException">The model is a classifier.</exception>
    /// <exception cref="BackpropException">An input is so far from anything seen in training that the network overflows (the message names the row).</exception>
    public double[] PredictValues(Matrix<T> features)
    {
        double[] values = Values(features);
        CheckFinite<double>(values, 1, features, null);
        return values;
    }

    /// <summary>Predicted values in the target's units for the rows of a raw table.</summary>
    /// <inheritdoc cref="PredictProbabilities(Table, ICollection{string}?, ICollection{string}?)" path="/param"/>
    /// <exception cref="BackpropException">A cell does not fit its column, or is so far from anything seen in training that the network overflows (the message names it).</exception>
    public double[] PredictValues(Table table, ICollection<string>? warnings = null, ICollection<string>? notes = null)
    {
        Matrix<T> features = Preprocessor.TransformFeatures<T>(table, warnings: warnings, notes: notes);
        double[] values = Values(features);
        CheckFinite<double>(values, 1, features, table);
        return values;
    }

    /// <summary>
    /// Class probabilities <c>(N, C)</c> of a cross-fitted ensemble's own training rows, each from the member that held the row
    /// out (<paramref name="folds"/>[row]): predictions on rows that member never trained on, an honest estimate of accuracy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is a regressor.</exception>
    public Matrix<T> PredictOutOfFoldProbabilities(Matrix<T> features, IReadOnlyList<int> folds) => Probabilities(features, folds);

    /// <summary>Predicted values of a cross-fitted ensemble's own training rows, each from the member that held the row out.</summary>
    /// <inheritdoc cref="PredictOutOfFoldProbabilities"/>
    /// <exception cref="InvalidOperationException">The model is a classifier.</exception>
    public double[] PredictOutOfFoldValues(Matrix<T> features, IReadOnlyList<int> folds) => Values(features, folds);

    /// <summary>
    /// The network's raw outputs <c>(N, O)</c> for encoded features <c>(N, F)</c>, averaged over the members (<see cref="CombineMembers"/>), or
    /// for each row over the one member that held it out (<paramref name="folds"/>, a cross-fitted ensemble's training rows): logits
    /// before the <see cref="Temperature"/> (classification), standardized values (regression).
    /// </summary>
    public Matrix<T> PredictOutputs(Matrix<T> features, IReadOnlyList<int>? folds = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Outputs(features, folds);
    }

    /// <summary>
    /// Conformal prediction intervals (regression) meant to hold the true value of <paramref name="coverage"/> of new rows, from
    /// the errors on the rows held out in training (<see cref="ConformalScores"/>); infinite bounds when too few rows were held
    /// out for that coverage.
    /// </summary>
    /// <param name="features">Encoded features <c>(N, F)</c>.</param>
    /// <param name="coverage">
    /// The share of new rows whose value the interval should hold, in <c>[0.5, 1)</c>, for example 0.9 (below one half the bounds
    /// of a cross-fitted model can cross: <see cref="ConformalScores.Interval"/>).
    /// </param>
    /// <returns>The predictions (as <see cref="PredictValues(Matrix{T})"/>) and their intervals' bounds, which hold the prediction.</returns>
    /// <exception cref="InvalidOperationException">The model is a classifier, or holds no <see cref="ConformalScores"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A coverage below one half, or not below 1.</exception>
    public (double[] Values, double[] Lower, double[] Upper) PredictIntervals(Matrix<T> features, double coverage)
    {
        if (Output != OutputKind.Identity)
        {
            throw new InvalidOperationException("A classification model predicts sets of classes; use PredictSets.");
        }
        if (coverage < ConformalScores.MinimumIntervalCoverage)
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, $"Expected a coverage of at least {ConformalScores.MinimumIntervalCoverage} for an interval.");
        }
        ConformalScores scores = ScoresFor(coverage);
        double[] values = PredictValues(features);
        double[][] byFold = scores.Folds.Count == 1 ? [values] : [.. MemberOutputs(features).Select(Unscaled)];
        var lower = new double[values.Length];
        var upper = new double[values.Length];
        Span<double> row = stackalloc double[byFold.Length];
        for (int r = 0; r < values.Length; r++)
        {
            for (int k = 0; k < byFold.Length; k++) row[k] = byFold[k][r];
            (lower[r], upper[r]) = scores.Interval(row, coverage);
            // CV+ judges each member against its own fold's errors, and can leave the members' average just outside when they
            // disagree; holding it costs nothing of the coverage (a wider interval holds at least as many values).
            lower[r] = Math.Min(lower[r], values[r]);
            upper[r] = Math.Max(upper[r], values[r]);
        }
        return (values, lower, upper);
    }

    /// <summary>
    /// Conformal prediction sets (classification) meant to hold the true class of <paramref name="coverage"/> of new rows, from
    /// the probabilities of the true class on the rows held out in training (<see cref="ConformalScores"/>), as <c>(N, C)</c>
    /// flags. The predicted class is always in its row's set.
    /// </summary>
    /// <inheritdoc cref="PredictIntervals"/>
    /// <exception cref="InvalidOperationException">The model is a regressor, or holds no <see cref="ConformalScores"/>.</exception>
    public bool[,] PredictSets(Matrix<T> features, double coverage)
    {
        if (Output == OutputKind.Identity)
        {
            throw new InvalidOperationException("A regression model predicts intervals; use PredictIntervals.");
        }
        ConformalScores scores = ScoresFor(coverage);
        Matrix<T> probabilities = PredictProbabilities(features);
        Matrix<T>[] byFold = scores.Folds.Count == 1 ? [probabilities] : [.. MemberOutputs(features).Select(ProbabilitiesOf)];
        int[] predicted = Metrics.Classification.ArgMax(probabilities);
        var sets = new bool[probabilities.Rows, probabilities.Columns];
        Span<double> classScores = stackalloc double[byFold.Length];
        for (int r = 0; r < probabilities.Rows; r++)
        {
            for (int c = 0; c < probabilities.Columns; c++)
            {
                for (int k = 0; k < byFold.Length; k++) classScores[k] = 1 - double.CreateChecked(byFold[k][r, c]);
                sets[r, c] = c == predicted[r] || scores.Includes(classScores, coverage);
            }
        }
        return sets;
    }

    private ConformalScores ScoresFor(double coverage)
    {
        if (!(coverage > 0 && coverage < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coverage), coverage, "Expected a coverage in (0, 1).");
        }
        return ConformalScores ?? throw new InvalidOperationException(
            "The model holds no held-out rows to calibrate intervals or sets on: train it with a validation split or cross-fitting.");
    }

    // Each member's raw outputs (N, O), from the network's (N, M·O).
    private Matrix<T>[] MemberOutputs(Matrix<T> features)
    {
        Matrix<T> outputs = Network.Predict(features);
        int o = outputs.Columns / Members;
        var members = new Matrix<T>[Members];
        for (int k = 0; k < Members; k++)
        {
            members[k] = new Matrix<T>(outputs.Rows, o);
            for (int r = 0; r < outputs.Rows; r++) outputs.Row(r).Slice(k * o, o).CopyTo(members[k].Row(r));
        }
        return members;
    }

    private double[] Unscaled(Matrix<T> outputs)
    {
        var values = new double[outputs.Rows];
        for (int r = 0; r < values.Length; r++) values[r] = TargetScaling.Unscale(double.CreateChecked(outputs[r, 0]));
        return values;
    }

    // Raw outputs (N, O) -> calibrated probabilities (N, C); outputs is scaled in place.
    private Matrix<T> ProbabilitiesOf(Matrix<T> outputs)
    {
        if (Temperature != 1)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(outputs.Data, T.CreateChecked(1 / Temperature), outputs.Data);
        }
        return Output == OutputKind.Softmax ? Softmax(outputs) : Sigmoids(outputs);
    }

    // Whether every fold names a member. A loop, not LINQ's Any over ints: every calibrated run comes here, and LINQ over value
    // types is compiled at first use (docs/performance.md, "Start-up").
    private static bool AllMembers(IReadOnlyList<int> folds, int members)
    {
        for (int i = 0; i < folds.Count; i++)
        {
            if (folds[i] < 0 || folds[i] >= members) return false;
        }
        return true;
    }

    // The network's outputs for the rows, averaged over all members, or over the one member folds[row] for each row.
    private Matrix<T> Outputs(Matrix<T> features, IReadOnlyList<int>? folds)
    {
        if (folds is null)
        {
            return CombineMembers(Network.Predict(features));
        }
        if (folds.Count != features.Rows || !AllMembers(folds, Members))
        {
            throw new ArgumentException($"Expected one member in [0, {Members}) per row ({features.Rows}). Received: {folds.Count} folds.", nameof(folds));
        }
        // Only each row's own member is averaged in: where the network allows, only that member predicts it (the same bits).
        Matrix<T> outputs;
        if (Network.CanPredictMembers(Members) && features.Columns == Network.InputFeatures)
        {
            outputs = new Matrix<T>(features.Rows, Network.OutputFeatures);
            Network.PredictMembersInto(features, outputs, Network.CreateInferenceWorkspace(Math.Clamp(features.Rows, 1, Sequential<T>.PredictChunk)),
                RowSplit.RowsByFold(folds, Members));
        }
        else
        {
            outputs = Network.Predict(features);
        }
        var include = new T[features.Rows * Members];
        for (int r = 0; r < features.Rows; r++) include[r * Members + folds[r]] = T.One;
        return Average(outputs, include);
    }

    private Matrix<T> Probabilities(Matrix<T> features, IReadOnlyList<int>? folds = null)
    {
        if (Output == OutputKind.Identity)
        {
            throw new InvalidOperationException("A regression model has no class probabilities.");
        }
        return ProbabilitiesOf(Outputs(features, folds));
    }

    private double[] Values(Matrix<T> features, IReadOnlyList<int>? folds = null)
    {
        if (Output != OutputKind.Identity)
        {
            throw new InvalidOperationException("A classification model predicts classes; use PredictProbabilities.");
        }
        return Unscaled(Outputs(features, folds));
    }

    // A NaN or infinite prediction is never handed out: the row, and the input that took the network out of range, are named
    // instead (a cell of 1e308 is some 1e305 standard deviations out, beyond float arithmetic). With the table, by its file
    // line, column and cell; without, by its row and encoded input.
    private void CheckFinite<TValue>(ReadOnlySpan<TValue> outputs, int perRow, Matrix<T> features, Table? table)
        where TValue : IFloatingPointIeee754<TValue>
    {
        int bad = -1;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (!TValue.IsFinite(outputs[i]))
            {
                bad = i / perRow;
                break;
            }
        }
        if (bad < 0)
        {
            return;
        }
        Span<T> row = features.Row(bad);
        int worst = 0;
        for (int f = 1; f < row.Length; f++)
        {
            if (!T.IsFinite(row[f]) || T.Abs(row[f]) > T.Abs(row[worst])) worst = f;
        }
        string input = Preprocessor.FeatureNames[worst];
        string Distance(double z) => double.IsFinite(z)
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(z):G3} standard deviations from its training mean")
            : "beyond the float range in standard deviations from its training mean";
        if (table is null)
        {
            throw new BackpropException(
                $"Expected inputs the model can compute with. Received: row {bad + 1}, whose input '{input}' is {Distance(double.CreateChecked(row[worst]))}: the network's outputs overflow for it.");
        }
        // The column whose inputs hold the worst one (a one-hot block, or a number and the bins of its encoding).
        FeatureColumnState feature = Preprocessor.State.Features[0];
        for (int f = 0, start = 0; f < Preprocessor.State.Features.Length; start += Preprocessor.State.Features[f++].Width)
        {
            if (worst < start + Preprocessor.State.Features[f].Width) { feature = Preprocessor.State.Features[f]; break; }
        }
        TableColumn? cells = table.Find(feature.Name);
        string column = feature.Name, value = "";
        string distance = Distance(double.CreateChecked(row[worst]));
        if (cells is not null && cells.IsNumeric)
        {
            double raw = cells.GetNumber(bad);
            value = raw.ToString("G6", CultureInfo.InvariantCulture);
            // Measured in double from the cell: in the network's float the distance itself may have overflowed.
            if (feature.Kind == FeatureKind.Numeric) distance = Distance(StandardScaler<double>.Standardize(raw, feature.Mean, feature.Scale));
        }
        else if (cells is not null)
        {
            value = cells.GetText(bad) ?? "";
        }
        throw new BackpropException(
            $"Expected values the model can compute with. Received: '{value}' in column '{column}' at {table.LocationOf(bad)}, {distance}: the network's outputs overflow for that row.");
    }

    /// <summary>Saves the model, atomically, with <paramref name="extras"/> (for example the optimizer state for resuming).</summary>
    /// <exception cref="BackpropException">The file could not be written; a previous file at <paramref name="path"/> is intact.</exception>
    public void Save(string path, ModelFileExtras? extras = null) => ModelFile.Save(path, Network, Compose(extras));

    /// <summary>The bytes <see cref="Save"/> would write.</summary>
    public byte[] ToBytes(ModelFileExtras? extras = null) => ModelFile.ToBytes(Network, Compose(extras));

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="BackpropException">The file is missing, malformed, or not a tabular model; the message names the file.</exception>
    public static TabularModel<T> Load(string path) => FromSaved(ModelFile.Load<T>(path), path).Model;

    /// <summary>Rebuilds a model from a loaded model file, keeping the file for its other entries (resume state).</summary>
    /// <exception cref="BackpropException">The file lacks the tabular entries or they are inconsistent.</exception>
    public static (TabularModel<T> Model, SavedModel<T> Saved) FromSaved(SavedModel<T> saved, string source)
    {
        ArgumentNullException.ThrowIfNull(saved);
        string Entry(string key) => saved.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw new BackpropException($"{source}: expected a Backprop tabular model with a '{key}' metadata entry. Received: a model file without it (saved by the library's ModelFile API?).");

        TabularPreprocessorState state;
        try
        {
            state = TabularPreprocessorState.FromJson(Entry(PreprocessingKey));
        }
        catch (BackpropException e)
        {
            throw new BackpropException($"{source}: the '{PreprocessingKey}' entry is invalid: {e.Message}", e);
        }
        OutputKind output = Entry(OutputKey) switch
        {
            "softmax" => OutputKind.Softmax,
            "sigmoid" => OutputKind.Sigmoid,
            "identity" => OutputKind.Identity,
            string other => throw new BackpropException($"{source}: expected output 'softmax', 'sigmoid' or 'identity'. Received: '{other}'."),
        };
        TargetScaling scaling = TargetScaling.None;
        if (saved.Metadata.TryGetValue(TargetScalingKey, out string? scalingJson))
        {
            scaling = ParseScaling(scalingJson, source);
        }
        double temperature = 1;
        if (saved.Metadata.TryGetValue(TemperatureKey, out string? temperatureText)
            && !(double.TryParse(temperatureText, NumberStyles.Float, CultureInfo.InvariantCulture, out temperature) && temperature > 0 && double.IsFinite(temperature)
                && output != OutputKind.Identity))
        {
            throw new BackpropException($"{source}: expected '{TemperatureKey}' as a positive number, on a classifier. Received: '{DataErrors.Quote(temperatureText ?? "")}'.");
        }
        int members = 1;
        if (saved.Metadata.TryGetValue(MembersKey, out string? membersText)
            && !(int.TryParse(membersText, NumberStyles.None, CultureInfo.InvariantCulture, out members) && members >= 1))
        {
            throw new BackpropException($"{source}: expected '{MembersKey}' as a whole number ≥ 1. Received: '{DataErrors.Quote(membersText ?? "")}'.");
        }
        var metadata = saved.Metadata.Where(kv => !ModelFile.ReservedKeys.Contains(kv.Key) && kv.Key is not (TaskKey or OutputKey or PreprocessingKey or TargetScalingKey or MembersKey or TemperatureKey or ConformalFoldsKey))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        try
        {
            return (new TabularModel<T>(saved.Model, new TabularPreprocessor(state), output, scaling, metadata,
                [.. saved.ExtraTensors.Where(t => t.Name != ConformalScoresTensor)], members, temperature, ReadScores(saved, members, source)), saved);
        }
        catch (ArgumentException e)
        {
            throw new BackpropException($"{source}: the network does not fit its preprocessing: {e.Message}", e);
        }
    }

    /// <summary>What an ONNX export needs beside the network: raw columns, their standardization, labels or target scaling.</summary>
    public OnnxExportOptions OnnxOptions()
    {
        var columns = new List<OnnxInputColumn>();
        var mean = new List<double>();
        var scale = new List<double>();
        var clip = new List<double>();
        var lower = new List<double>();
        var upper = new List<double>();
        foreach (FeatureColumnState feature in Preprocessor.State.Features)
        {
            if (feature.Kind == FeatureKind.Categorical)
            {
                columns.Add(new OnnxInputColumn(feature.Name, feature.Categories, MissingCategory: feature.FillCategory));
                for (int c = 0; c < feature.Width; c++) { mean.Add(0); scale.Add(1); clip.Add(0); lower.Add(double.NegativeInfinity); upper.Add(double.PositiveInfinity); }
            }
            else
            {
                // Robust scaling clips the scaled value smoothly; one-hot and boolean inputs pass as they are. A date column is its
                // own input, encoded in the graph in double: its inputs arrive scaled, and only the row's clipping and bounds apply.
                bool date = feature.Kind == FeatureKind.Date, numeric = feature.Kind == FeatureKind.Numeric;
                columns.Add(date
                    ? new OnnxInputColumn(feature.Name, MissingValue: feature.Fill, Date: feature)
                    : new OnnxInputColumn(feature.Name, MissingValue: feature.Fill, Copies: feature.Width));
                mean.Add(numeric ? feature.Mean : 0);
                scale.Add(numeric ? feature.Scale : 1);
                clip.Add((numeric || date) && Preprocessor.State.Scaling == NumericScaling.Robust ? 1 : 0);
                lower.Add(double.NegativeInfinity);
                upper.Add(double.PositiveInfinity);
                // The bins of a piecewise-linear encoding: (x − bₜ) / (bₜ₊₁ − bₜ), the first open below, the last above.
                for (int t = 0; t < feature.Bins; t++)
                {
                    mean.Add(date ? 0 : feature.Edges![t]);
                    scale.Add(date ? 1 : feature.Edges![t + 1] - feature.Edges[t]);
                    clip.Add(0);
                    lower.Add(t > 0 ? 0 : double.NegativeInfinity);
                    upper.Add(t < feature.Bins - 1 ? 1 : double.PositiveInfinity);
                }
                // A date's calendar inputs, computed in the graph as they are: neither scaled nor bounded.
                for (int k = 0; k < CalendarInputs.Width(feature.Calendar); k++)
                {
                    mean.Add(0);
                    scale.Add(1);
                    clip.Add(0);
                    lower.Add(double.NegativeInfinity);
                    upper.Add(double.PositiveInfinity);
                }
            }
        }
        bool binned = Preprocessor.State.Features.Any(f => f.Bins > 0);
        double[]? smoothClip = Preprocessor.State.Scaling == NumericScaling.Robust ? [.. clip] : null;
        return Output == OutputKind.Identity
            ? new OnnxExportOptions(columns, mean, scale, TargetMean: [TargetScaling.Mean], TargetScale: [TargetScaling.Scale])
            {
                SmoothClip = smoothClip, Lower = binned ? lower : null, Upper = binned ? upper : null, Members = Members,
            }
            : new OnnxExportOptions(columns, mean, scale, ClassLabels: ClassLabels)
            {
                SmoothClip = smoothClip, Lower = binned ? lower : null, Upper = binned ? upper : null, Members = Members, Temperature = Temperature,
                SigmoidOutputs = Output == OutputKind.Sigmoid,
            };
    }

    /// <summary>
    /// Everything <see cref="Save"/> writes beside the network's tensors: this model's entries merged with <paramref name="extras"/>
    /// (for checkpoints, so that they are complete tabular models).
    /// </summary>
    public ModelFileExtras FileExtras(ModelFileExtras? extras = null) => Compose(extras);

    // Once a save: compiled without optimization, as TabularTrainer's Run is (docs/performance.md, "Start-up").
    [MethodImpl(MethodImplOptions.NoOptimization)]
    private ModelFileExtras Compose(ModelFileExtras? extras)
    {
        var composed = new ModelFileExtras();
        foreach (var (key, value) in Metadata) composed.Metadata[key] = value;
        // The caller's tensors replace the model's of the same name (a checkpoint's newer optimizer state).
        composed.Tensors.AddRange(ExtraTensors.Where(t => extras is null || !extras.Tensors.Exists(e => e.Name == t.Name)));
        if (extras is not null)
        {
            foreach (var (key, value) in extras.Metadata) composed.Metadata[key] = value;
            composed.Tensors.AddRange(extras.Tensors);
        }
        composed.Metadata[TaskKey] = Task == TaskKind.Regression ? "regression" : "classification";
        composed.Metadata[OutputKey] = Output switch { OutputKind.Softmax => "softmax", OutputKind.Sigmoid => "sigmoid", _ => "identity" };
        composed.Metadata[PreprocessingKey] = Preprocessor.State.ToJson();
        if (Temperature != 1)
        {
            composed.Metadata[TemperatureKey] = Temperature.ToString("R", CultureInfo.InvariantCulture);
        }
        if (ConformalScores is { } scores)
        {
            // The folds one after the other, each ascending; their sizes beside them when there are several.
            composed.Tensors.RemoveAll(t => t.Name == ConformalScoresTensor);
            var all = new double[scores.Count];
            int filled = 0;
            foreach (IReadOnlyList<double> fold in scores.Folds)
            {
                for (int i = 0; i < fold.Count; i++) all[filled++] = fold[i];
            }
            composed.Tensors.Add(SafeTensor.Create<double>(ConformalScoresTensor, all, scores.Count));
            if (scores.Folds.Count > 1)
            {
                composed.Metadata[ConformalFoldsKey] = $"[{string.Join(",", scores.Folds.Select(f => f.Count.ToString(CultureInfo.InvariantCulture)))}]";
            }
        }
        if (Members > 1)
        {
            composed.Metadata[MembersKey] = Members.ToString(CultureInfo.InvariantCulture);
        }
        if (Output == OutputKind.Identity)
        {
            composed.Metadata[TargetScalingKey] = string.Create(CultureInfo.InvariantCulture,
                $"{{\"mean\":{TargetScaling.Mean:R},\"scale\":{TargetScaling.Scale:R}}}");
        }
        return composed;
    }

    // The held-out rows' scores, if the file keeps them: one fold, or as many as its conformal_folds entry says.
    private static ConformalScores? ReadScores(SavedModel<T> saved, int members, string source)
    {
        SafeTensor? tensor = saved.ExtraTensors.FirstOrDefault(t => t.Name == ConformalScoresTensor);
        if (tensor is null)
        {
            return null;
        }
        double[] scores = tensor.DType == TensorDType.F64 ? tensor.ToArray<double>() : [.. tensor.ToArray<float>().Select(v => (double)v)];
        int[] sizes = [scores.Length];
        if (saved.Metadata.TryGetValue(ConformalFoldsKey, out string? foldsJson))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(foldsJson, new JsonDocumentOptions { MaxDepth = 2 });
                sizes = [.. document.RootElement.EnumerateArray().Select(e => e.GetInt32())];
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                sizes = [];
            }
            if (sizes.Length != members || sizes.Any(n => n < 0) || sizes.Sum(n => (long)n) != scores.Length)
            {
                throw new BackpropException($"{source}: expected '{ConformalFoldsKey}' as the sizes of {members} folds adding up to {scores.Length}. Received: '{DataErrors.Quote(foldsJson)}'.");
            }
        }
        var folds = new List<double[]>();
        int start = 0;
        foreach (int size in sizes)
        {
            folds.Add(scores[start..(start + size)]);
            start += size;
        }
        try
        {
            return new ConformalScores(folds);
        }
        catch (ArgumentException e)
        {
            throw new BackpropException($"{source}: the '{ConformalScoresTensor}' tensor is invalid: {e.Message}", e);
        }
    }

    private static TargetScaling ParseScaling(string json, string source)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            double mean = document.RootElement.GetProperty("mean").GetDouble();
            double scale = document.RootElement.GetProperty("scale").GetDouble();
            if (!double.IsFinite(mean) || !(scale > 0) || !double.IsFinite(scale))
            {
                throw new BackpropException($"{source}: expected a finite target mean and a positive scale. Received: mean {mean}, scale {scale}.");
            }
            return new TargetScaling(mean, scale);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new BackpropException($"{source}: expected '{TargetScalingKey}' as {{\"mean\":…,\"scale\":…}}. Received: '{json}'.", e);
        }
    }

    // logits (N, C) -> probabilities (N, C), row by row, max subtracted so exp never overflows
    private static Matrix<T> Softmax(Matrix<T> logits)
    {
        var probabilities = new Matrix<T>(logits.Rows, logits.Columns);
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<T> row = logits.Row(r), p = probabilities.Row(r);
            T max = System.Numerics.Tensors.TensorPrimitives.Max<T>(row);
            T sum = T.Zero;
            for (int c = 0; c < row.Length; c++) sum += p[c] = T.Exp(row[c] - max);
            for (int c = 0; c < row.Length; c++) p[c] /= sum;
        }
        return probabilities;
    }

    // One logit (two classes): (N, 1) -> [1 − σ, σ] (N, 2). One logit per class (one-vs-rest): (N, C) -> σ normalized to sum to 1.
    private static Matrix<T> Sigmoids(Matrix<T> logits)
    {
        int classes = logits.Columns == 1 ? 2 : logits.Columns;
        var probabilities = new Matrix<T>(logits.Rows, classes);
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<T> p = probabilities.Row(r);
            if (logits.Columns == 1)
            {
                T p1 = Sigmoid(logits[r, 0]);
                (p[0], p[1]) = (T.One - p1, p1);
                continue;
            }
            T sum = T.Zero;
            for (int c = 0; c < classes; c++) sum += p[c] = Sigmoid(logits[r, c]);
            for (int c = 0; c < classes; c++) p[c] /= sum;
        }
        return probabilities;
    }

    // σ(z) from exp(−|z|), so neither sign overflows.
    private static T Sigmoid(T z)
    {
        T e = T.Exp(-T.Abs(z));
        return z >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
    }
}
