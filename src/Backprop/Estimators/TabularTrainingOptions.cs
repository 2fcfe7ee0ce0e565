using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Preprocessing;

namespace Backprop.Estimators;

/// <summary>
/// Every option of a tabular training run, in one immutable record: the data and how to read it, the network, the loss, the
/// optimizer and its schedule, the training loop, validation and early stopping, and where the model goes. Validated in one
/// place (<see cref="Validate"/>), saved in the model file (its <c>training</c> entry), and read back when a run is resumed.
/// </summary>
/// <remarks>
/// <para>
/// The defaults (a <c>new TabularTrainingOptions()</c>, the "quick" recipe) are what <c>backprop train --data</c>,
/// <see cref="MlpClassifier{T}"/> and <see cref="MlpRegressor{T}"/> use, measured on 19 real data sets (docs/accuracy.md): each
/// number beside its piecewise-linear encoding in 8 quantile bins, into a cross-fitted ensemble of 5 networks of one hidden
/// layer of 64 ReLU units (each member holds out its own fifth of the rows, and every row validates by the member that held it
/// out), Adam at 1e-3, batches of 32, at most 200 epochs, early stopping
/// after 5 epochs (or 250 steps, whichever is longer) without improvement of the out-of-fold loss, the best epoch kept. <see cref="Tabular"/> is the tabular recipe after
/// RealMLP-TD-S, every ingredient an option of its own (measured in docs/accuracy.md; opt-in until it measures better).
/// <see cref="Notebook"/> is the classic notebook's plain settings, what <c>backprop train</c> runs with no options, and
/// <see cref="Plain"/> the same for any data.
/// </para>
/// <para>
/// Resuming (<see cref="TabularTrainer{T}.Resume"/>) starts from the options saved in the file and changes what the caller
/// changes: a changed learning rate, schedule, epoch count, data, seed, batch size, … applies from the resumed epoch on; what
/// the saved network and preprocessing fix (hidden layers, activation, dropout, the columns, the task, the kind of loss output,
/// the optimizer) cannot change.
/// </para>
/// </remarks>
public sealed record TabularTrainingOptions
{
    /// <summary>The classic notebook's settings: embedded Iris, 4 → 16 → 3 ReLU, per-sample SGD at 0.01, 50 epochs, no validation.</summary>
    /// <remarks>
    /// Its standard-normal initialization is the notebook's, set here rather than chosen by the data: another recipe on the embedded
    /// data sets (<c>new TabularTrainingOptions { Dataset = "wine" }</c>) starts from PyTorch's, as on a file, since standard-normal
    /// weights on 117 inputs start with huge logits (out of fold on wine: 0.77 against 0.98).
    /// </remarks>
    public static TabularTrainingOptions Notebook { get; } = new()
    {
        Dataset = "iris",
        Initialization = Layers.Initialization.Normal,
        Scaling = NumericScaling.Standard,
        HiddenLayers = [16],
        PiecewiseLinearBins = 0,
        Activation = Layers.Activation.Relu,
        FeatureScale = false,
        Parametrization = Parametrization.Standard,
        ZeroOutputLayer = false,
        Members = 1,
        CrossFit = false,
        Embedding = InputEmbedding.None,
        LabelSmoothing = 0,
        Calibrate = false,
        Optimizer = OptimizerKind.Sgd,
        LearningRate = null,
        Beta2 = 0.999,
        Schedule = LearningRateSchedule.Constant,
        BatchSize = 1,
        Epochs = 50,
        ValidationFraction = 0,
        EarlyStopping = null,
        RestoreBest = false,
    };

    /// <summary>
    /// The tabular recipe, after RealMLP-TD-S (Holzmüller, Grinsztajn and Steinwart 2024, "Better by Default"): numeric columns
    /// robustly scaled and smoothly clipped, a learnable scale per input, three hidden layers of 256 (SELU for classes, Mish for
    /// regression), the neural-tangent parametrization with a zero output layer, Adam with β₂ 0.95 at 0.04 on the coslog
    /// schedule, label smoothing 0.1, 256 epochs of batches of 256, a fifth of the rows held out to keep the epoch of lowest
    /// validation loss. Opt-in (<c>--recipe tabular</c>) until it measures better than the defaults (bench/accuracy).
    /// </summary>
    public static TabularTrainingOptions Tabular { get; } = new()
    {
        Scaling = NumericScaling.Robust,
        HiddenLayers = [256, 256, 256],
        PiecewiseLinearBins = 0,
        Members = 1,
        CrossFit = false,
        Activation = null,
        FeatureScale = true,
        Parametrization = Parametrization.Ntk,
        ZeroOutputLayer = true,
        LabelSmoothing = null,
        LearningRate = 0.04,
        Beta2 = 0.95,
        Schedule = new CosLogSchedule(),
        Epochs = 256,
        BatchSize = 256,
        ValidationFraction = 0.2,
        EarlyStopping = null,
        RestoreBest = true,
    };

    /// <summary>
    /// The notebook's plain settings (<see cref="Notebook"/>) for any data: no embedded data set named, and the automatic
    /// initialization (PyTorch's), since standard-normal weights diverge on wide or regression networks.
    /// </summary>
    public static TabularTrainingOptions Plain { get; } = Notebook with { Dataset = null, Initialization = null };

    // ---- Data ----

    /// <summary>A CSV file to train on (a header line, then rows), or <see langword="null"/> (see <see cref="Dataset"/>, or give a table to Fit).</summary>
    public string? Data { get; init; }

    /// <summary>An embedded data set to train on (<see cref="EmbeddedDatasets.Names"/>), or <see langword="null"/>. Not with <see cref="Data"/>.</summary>
    public string? Dataset { get; init; }

    /// <summary>
    /// The CSV field delimiter (<see cref="CsvReadOptions.IsDelimiter"/>; <see cref="CsvReadOptions.Whitespace"/> for runs of spaces
    /// and tabs); <see langword="null"/> (default) detects it from the header among <c>,</c> <c>;</c> tab <c>|</c> and whitespace.
    /// </summary>
    [JsonConverter(typeof(DelimiterJsonConverter))]
    public char? Delimiter { get; init; }

    /// <summary>
    /// The decimal separator of the CSV numbers, <c>'.'</c> or <c>','</c>; <see langword="null"/> (default) detects it: decimal commas
    /// in a file delimited by <c>;</c>, points otherwise (<see cref="CsvReadOptions.Decimal"/> says the rule).
    /// </summary>
    public char? Decimal { get; init; }

    /// <summary>A separate labelled CSV file to validate on (the columns of the training data), instead of holding out <see cref="ValidationFraction"/>.</summary>
    public string? ValidationData { get; init; }

    /// <summary>The target column; <see langword="null"/> (default) for the last column.</summary>
    public string? Target { get; init; }

    /// <summary>The feature columns; <see langword="null"/> (default) for every column but the target.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Columns not to use (for example an identifier). Default none.</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];

    /// <summary>Numeric columns to one-hot encode as categories (text columns are categorical anyway). Default none.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>
    /// Columns to use as features although they look like identifiers (a row number, a column named like an id, text with
    /// mostly distinct values), which are otherwise dropped with a note. Default none.
    /// </summary>
    public IReadOnlyList<string> Keep { get; init; } = [];

    /// <summary>
    /// The order of day and month in dates written with the year last (<c>03/04/2024</c>); <see langword="null"/> (default) lets
    /// each column's values tell it: a day above 12, or every date on the 1st of a month. A column whose values tell nothing
    /// is read as text unless this gives the order (<see cref="TabularOptions.DateOrder"/>). ISO 8601 dates need neither.
    /// </summary>
    public DateOrder? DateOrder { get; init; }

    /// <summary>
    /// How numeric columns become inputs: robust scaling and smooth clipping (default; median-centred, divided by the interquartile
    /// range, then <c>z / √(1 + (z/3)²)</c>), or standardization (the notebook's).
    /// </summary>
    public NumericScaling Scaling { get; init; } = NumericScaling.Standard;

    /// <summary>Missing feature cells: the training mean (default) or median of a numeric column, the most frequent value of others; or an error.</summary>
    public MissingValueStrategy Missing { get; init; } = MissingValueStrategy.Mean;

    /// <summary>
    /// Classification or regression; <see langword="null"/> (default) infers it from the target: text and integer labels (at most
    /// 20 values over a narrow range; see <see cref="TabularOptions.Task"/>) are classes, other numbers a regression.
    /// </summary>
    public TaskKind? Task { get; init; }

    /// <summary>
    /// Share of the rows held out before preprocessing is fitted (stratified for classes), in <c>[0, 1)</c>: they choose the epoch
    /// kept. Default 0 (the default cross-fits instead: <see cref="CrossFit"/>); the notebook 0; the tabular recipe 0.2.
    /// </summary>
    [JsonPropertyName("validation")]
    public double ValidationFraction { get; init; }

    /// <summary>
    /// Read <see cref="Data"/> in chunks rather than whole, so that a file larger than memory trains (docs/data.md, "Larger than
    /// memory"): a first pass fits the preprocessing on a uniform sample of the rows and holds out the validation rows, then every
    /// epoch streams the rows through a shuffle buffer, stored as float32. <see langword="null"/> (default) streams when the data's
    /// files take more than an eighth of the memory available, or when the first rows read show that the table would not fit;
    /// <see langword="true"/> always; <see langword="false"/> never.
    /// </summary>
    public bool? Stream { get; init; }

    /// <summary>
    /// What a streamed run's data may hold at once, in bytes: the shuffle buffer (a quarter), the preprocessing's sample and the
    /// validation rows (an eighth each), and the chunk being read; at least 1 MB. <see langword="null"/> (default) for 256 MB, or
    /// a quarter of the memory available if that is less (a run's peak memory then stays under 512 MB whatever the file's size);
    /// the run records what it used.
    /// </summary>
    public long? StreamMemory { get; init; }

    /// <summary>The default <see cref="StreamMemory"/>: 256 MB.</summary>
    public const long DefaultStreamMemory = 256_000_000;

    /// <summary>The least <see cref="StreamMemory"/>: 1 MB (a run needs a shuffle buffer of a batch, and samples of some rows).</summary>
    public const long MinStreamMemory = 1_000_000;

    /// <summary>Seed of the run's generators (split, initialization, shuffling, dropout): same seed, same model. Default 0.</summary>
    public ulong Seed { get; init; }

    // ---- Network ----

    /// <summary>
    /// Widths of the hidden layers; empty for a linear model. Default one layer of 64 (the piecewise-linear inputs make the
    /// first layer wide, and 64 units measured as accurate as scikit-learn's 100, in less time: docs/accuracy.md); the
    /// notebook 16; the tabular recipe three of 256.
    /// </summary>
    [JsonPropertyName("hidden")]
    public IReadOnlyList<int> HiddenLayers { get; init; } = [64];

    /// <summary>Activation after every hidden layer. Default ReLU; <see langword="null"/> chooses SELU for classification and Mish for regression (RealMLP's; the tabular recipe).</summary>
    public Activation? Activation { get; init; } = Layers.Activation.Relu;

    /// <summary>A learnable scale per input, initialized to 1, before the first dense layer (RealMLP's scaling layer): lets training weigh the inputs. Default off; the tabular recipe on.</summary>
    public bool FeatureScale { get; init; }

    /// <summary>
    /// The dense layers' parametrization: <see cref="Layers.Parametrization.Ntk"/> (default; neural-tangent: weights <c>N(0, 1/fan_in)</c>, biases
    /// <c>N(0, 1)</c>, per-layer rates with Adam) or standard (one rate; weights by <see cref="Initialization"/>; the notebook's).
    /// </summary>
    public Parametrization Parametrization { get; init; } = Parametrization.Standard;

    /// <summary>Start the output layer at zero, so training starts from a constant prediction (RealMLP's). Default off; the tabular recipe on.</summary>
    public bool ZeroOutputLayer { get; init; }

    /// <summary>
    /// How each input enters the network: <see cref="InputEmbedding.None"/> (default) as it is, or <see cref="InputEmbedding.Periodic"/>
    /// beside a learned periodic embedding of it (RealMLP's PBLD: 16 cosines of learned frequencies, mapped to 4 values per input).
    /// </summary>
    public InputEmbedding Embedding { get; init; } = InputEmbedding.None;

    /// <summary>
    /// Also encode each numeric column piecewise-linearly in this many quantile bins of its training values (Gorishniy,
    /// Rubachev and Babenko 2022): one more input per bin, <c>(x − bₜ) / (bₜ₊₁ − bₜ)</c> clipped to [0, 1], so the first layer
    /// can bend its response at the bins' edges, as a tree splits. Default 8; the notebook and the tabular recipe 0 (none);
    /// else 3 to 256. A column with fewer distinct quantiles than 3 bins keeps its one input. Fitted with the preprocessing,
    /// saved in the model file, inside the ONNX graph.
    /// </summary>
    public int PiecewiseLinearBins { get; init; } = 8;

    /// <summary>
    /// The fewest training rows per input that the bins of <see cref="PiecewiseLinearBins"/> add: on a table with fewer, no column
    /// is put in bins and the numbers enter as they are (a note says so). Default 2; 0 to put them in bins whatever the table's
    /// size. The bins multiply a number's inputs by up to 9; on a wide table of few rows (100 absorbances of 161 meats, 60 sonar
    /// frequencies of 156 echoes) that gives the first layer several times as many inputs as there are rows to fit them, and the
    /// networks fit noise. Of the six sets of the accuracy suites with fewer than 2 rows per bin input, the numbers alone did
    /// better on four (meats R² 0.815 → 0.904, ad_data, sonar, breast_cancer), the same on wine and worse on ionosphere (−0.8
    /// points); above it the bins gain where trees lead (bench/accuracy, docs/accuracy.md). Decided once, when the preprocessing
    /// is fitted; a resumed run keeps its file's.
    /// </summary>
    public double PiecewiseLinearRowsPerInput { get; init; } = DefaultPiecewiseLinearRowsPerInput;

    /// <summary>The default of <see cref="PiecewiseLinearRowsPerInput"/>.</summary>
    public const double DefaultPiecewiseLinearRowsPerInput = 2;

    /// <summary>
    /// Whether <paramref name="binInputs"/> inputs of piecewise-linear bins are too many for <paramref name="trainingRows"/> rows:
    /// fewer than <see cref="PiecewiseLinearRowsPerInput"/> rows each.
    /// </summary>
    public bool TooFewRowsForBins(long trainingRows, long binInputs) => binInputs > 0 && trainingRows < PiecewiseLinearRowsPerInput * binInputs;

    /// <summary>
    /// Networks trained side by side as one ensemble, in <c>[1, 64]</c>: each member has the hidden layers and its own initial
    /// weights; they see the same batches, each learns from its own loss, and their predictions are averaged (probabilities for
    /// classes). Default 5; the notebook and the tabular recipe 1.
    /// </summary>
    public int Members { get; init; } = 5;

    /// <summary>
    /// Cross-fitting, with several <see cref="Members"/>: the training rows are dealt into as many folds (stratified for classes),
    /// each member holds out its own fold and trains on the others, and every row validates: by the average of the members that
    /// held it out (its out-of-fold prediction), which early stopping and <see cref="RestoreBest"/> watch. All rows train, and the
    /// members differ by the rows they saw. No validation split with it (<see cref="ValidationFraction"/> 0, no
    /// <see cref="ValidationData"/>). <see langword="null"/> (default) chooses: on with several members and no validation split or
    /// data, off otherwise; the notebook and the tabular recipe off.
    /// </summary>
    public bool? CrossFit { get; init; }

    /// <summary>The most <see cref="Members"/> a run takes.</summary>
    public const int MaxMembers = 64;

    /// <summary>Dropout probability after every hidden activation, in <c>[0, 1)</c>. Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>
    /// Weight initialization; <see langword="null"/> (default) chooses: the ntk one with the ntk <see cref="Parametrization"/>, else
    /// PyTorch's <c>nn.Linear</c>. The <see cref="Notebook"/> sets its standard normal (standard-normal weights diverge on wide
    /// networks and regressions, so nothing else chooses it).
    /// </summary>
    [JsonPropertyName("init")]
    public Initialization? Initialization { get; init; }

    // ---- Loss ----

    /// <summary>The loss; <see langword="null"/> (default): cross-entropy for classification, mean squared error for regression.</summary>
    public LossKind? Loss { get; init; }

    /// <summary>Huber's δ in standardized target units (<see cref="LossKind.Huber"/>). Default 1.</summary>
    public double HuberDelta { get; init; } = DefaultHuberDelta;

    private const double DefaultHuberDelta = 1;

    /// <summary>
    /// Label smoothing ε of the cross-entropy, in <c>[0, 1]</c>: the targets are <c>1 − ε</c> on the true class and <c>ε/C</c>
    /// elsewhere. <see langword="null"/> (default, and the tabular recipe's) chooses <see cref="DefaultLabelSmoothing"/> with
    /// cross-entropy when the run is calibrated (<see cref="Calibrate"/>: temperature scaling corrects the under-confidence it
    /// leaves), and 0 otherwise; the notebook 0.
    /// </summary>
    public double? LabelSmoothing { get; init; }

    /// <summary>
    /// Calibrate a classifier on the rows the run held out (the validation rows, or every row out of fold when cross-fitting):
    /// temperature scaling (<see cref="Models.TemperatureScaling"/>) makes its probabilities as confident as it is right, and the
    /// rows' nonconformity scores are kept for conformal intervals and sets. A regression keeps the scores alone.
    /// <see langword="null"/> (default) chooses: on when the run holds out rows; the notebook off. <see langword="true"/> with no rows held out is an error.
    /// </summary>
    public bool? Calibrate { get; init; }

    /// <summary>The label smoothing of the cross-entropy when none is given: 0.1 (RealMLP's).</summary>
    public const double DefaultLabelSmoothing = 0.1;

    /// <summary>The activation when none is given: SELU for classification, Mish for regression (RealMLP's choice).</summary>
    public static Activation DefaultActivation(TaskKind task) => task == TaskKind.Regression ? Layers.Activation.Mish : Layers.Activation.Selu;

    /// <summary>Weigh each class by <c>n_samples / (n_classes · count_c)</c> on the training rows (scikit-learn's <c>'balanced'</c>). Default off.</summary>
    public bool BalancedClassWeights { get; init; }

    /// <summary>One weight ≥ 0 per class, in the order of the sorted class labels; <see langword="null"/> (default) for none.</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    // ---- Optimizer ----

    /// <summary>The optimizer (PyTorch's semantics). Default Adam; the notebook SGD.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>
    /// The base learning rate (the schedule scales it; with the ntk <see cref="Parametrization"/>, each layer's share of it), or
    /// <see langword="null"/> (default) for the <see cref="Optimizer"/>'s own (<see cref="DefaultLearningRate"/>: 0.01 for SGD, the
    /// notebook's; 0.001 for Adam and AdamW), so that choosing another optimizer does not keep a rate made for the first. The
    /// tabular recipe 0.04 (RealMLP's, for the ntk parametrization: about 0.0025 for a weight of a 256-wide layer). A run records
    /// the rate it used (<see cref="TabularTrainingResult{T}.Options"/>, the model file).
    /// </summary>
    public double? LearningRate { get; init; }

    /// <summary>
    /// The rate an optimizer gets when <see cref="LearningRate"/> is not given: 0.01 for SGD (the notebook's, and Keras's), 0.001 for
    /// Adam and AdamW (Kingma and Ba's, PyTorch's and scikit-learn's). One rate for both is a tenfold mistake for one of them: SGD at
    /// Adam's 0.001 undertrains in the quick recipe's 200 epochs (wine: 0.79 against 0.97 at 0.01).
    /// </summary>
    public static double DefaultLearningRate(OptimizerKind optimizer) => optimizer == OptimizerKind.Sgd ? 0.01 : 1e-3;

    /// <summary>The rate a run with these options uses: <see cref="LearningRate"/>, or else the <see cref="Optimizer"/>'s default.</summary>
    /// <remarks>Not an entry of the file, which records <see cref="LearningRate"/> resolved.</remarks>
    [JsonIgnore]
    public double EffectiveLearningRate => LearningRate ?? DefaultLearningRate(Optimizer);

    /// <summary>Adam's β₂, the decay of its second-moment estimate, in <c>[0, 1)</c>. Default 0.999 (PyTorch's); the tabular recipe 0.95 (RealMLP's, adapts faster).</summary>
    public double Beta2 { get; init; } = DefaultBeta2;

    private const double DefaultBeta2 = 0.999;

    /// <summary>SGD momentum in <c>[0, 1)</c>. Default 0 (PyTorch's).</summary>
    public double Momentum { get; init; }

    /// <summary>SGD Nesterov momentum (needs <see cref="Momentum"/> &gt; 0). Default off.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Weight decay: L2 added to the gradient for SGD and Adam, decoupled for AdamW; <see langword="null"/> (default): 0, or 0.01 for AdamW.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Clip the gradient's global L2 norm to this value before each step; <see langword="null"/> (default) for none.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>The learning-rate schedule over the run's <see cref="Epochs"/>. Default constant; the tabular recipe RealMLP's <c>coslog</c> (four cosine cycles, set every step).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    // ---- Training loop ----

    /// <summary>The run's length in epochs, counted from the first (a resumed run trains until this many have completed). Default 200; the notebook 50; the tabular recipe 256.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Samples per optimizer step (1 = per-sample SGD, the notebook's). Default 32; the tabular recipe 256.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Visit the training rows in a fresh random order every epoch. Default on.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Stop after this many epochs without improvement of the validation loss (the training loss without validation data) and keep
    /// the best epoch's model; <see langword="null"/> to train every epoch. Default 5 (the out-of-fold loss of cross-fitting, over
    /// every row, is a steadier judge than a 10% split: 5 gives the suite mean of 10 in four fifths of the time); the notebook and
    /// the tabular recipe off.
    /// </summary>
    public int? EarlyStopping { get; init; } = 5;

    /// <summary>
    /// Early stopping also waits at least this many optimizer steps without improvement: the patience is the longer of
    /// <see cref="EarlyStopping"/> epochs and this many steps (<see cref="PatienceEpochs"/>). Default 250, what 5 epochs are on a
    /// table of 1,600 rows in batches of 32; 0 for epochs alone. On a small table an epoch is a few steps, and 5 of them ended runs
    /// whose out-of-fold loss was still falling between its ups and downs (modeldata's meats, 161 rows of 100 absorbances: R²
    /// 0.43 stopped after 38 epochs, 0.82 with the steps; bench/accuracy, docs/accuracy.md). Unused without early stopping.
    /// </summary>
    public int EarlyStoppingSteps { get; init; } = DefaultEarlyStoppingSteps;

    /// <summary>The default of <see cref="EarlyStoppingSteps"/>.</summary>
    public const int DefaultEarlyStoppingSteps = 250;

    /// <summary>
    /// Epochs without improvement after which early stopping ends a run over <paramref name="trainingRows"/> rows: the longer of
    /// <see cref="EarlyStopping"/> epochs and <see cref="EarlyStoppingSteps"/> steps of <see cref="BatchSize"/> rows;
    /// <see langword="null"/> without early stopping.
    /// </summary>
    public int? PatienceEpochs(long trainingRows)
    {
        if (EarlyStopping is not int patience) return null;
        long stepsPerEpoch = Math.Max(1, (Math.Max(0, trainingRows) + BatchSize - 1) / BatchSize);
        long forSteps = (EarlyStoppingSteps + stepsPerEpoch - 1) / stepsPerEpoch;
        return (int)Math.Max(patience, forSteps);
    }

    /// <summary>
    /// End with the weights of the epoch of lowest validation loss (the training loss without validation data), not the last
    /// epoch's. Default off; the tabular recipe on. Early stopping always keeps the best epoch.
    /// </summary>
    public bool RestoreBest { get; init; }

    /// <summary>The smallest decrease of the monitored loss that counts as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    // ---- Where the model goes (not saved in the model file) ----

    /// <summary>Save the trained model here (atomically), and the best model so far when the run is interrupted; <see langword="null"/> (default) for no file.</summary>
    [JsonIgnore]
    public string? SavePath { get; init; }

    /// <summary>Every this many epochs write the current model to <see cref="SavePath"/>, and the best one so far beside it; <see langword="null"/> (default) for never.</summary>
    [JsonIgnore]
    public int? CheckpointEvery { get; init; }

    /// <summary>Where checkpoints keep the best model: <c>model.safetensors</c> → <c>model.best.safetensors</c>.</summary>
    public static string BestPathOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}.best{Path.GetExtension(path)}");
    }

    /// <summary>Checks every option alone and with the others; what can only be checked against the data is checked when training starts.</summary>
    /// <returns>These options.</returns>
    /// <exception cref="OptionException">The first option found wrong, with what was expected and what was received.</exception>
    public TabularTrainingOptions Validate()
    {
        Check(Data is null || Dataset is null, nameof(Data), "either {Data} or {Dataset}", "both");
        Check(Data is null || Data.Length > 0, nameof(Data), "a file path", "''");
        Check(Dataset is null || EmbeddedDatasets.Names.Contains(Dataset), nameof(Dataset), $"one of {string.Join(", ", EmbeddedDatasets.Names)}", Quote(Dataset));
        Check(Delimiter is not char d || CsvReadOptions.IsDelimiter(d), nameof(Delimiter),
            "a tab, a space, whitespace or an ASCII punctuation character other than \" and #", Quote(Delimiter is char c ? DelimiterJsonConverter.Name(c) : null));
        Check(Decimal is null or '.' or ',', nameof(Decimal), "'.' or ','", Quote(Decimal?.ToString()));
        Check(ValidationData is null || ValidationFraction == 0, nameof(ValidationData), "no {ValidationFraction} with it", Number(ValidationFraction));
        Check(Target is null || Target.Length > 0, nameof(Target), "a column name", "''");
        Check(Names(Features), nameof(Features), "column names that are not empty", "an empty name");
        Check(Names(Drop), nameof(Drop), "column names that are not empty", "an empty name");
        Check(Names(Categorical), nameof(Categorical), "column names that are not empty", "an empty name");
        Check(Names(Keep), nameof(Keep), "column names that are not empty", "an empty name");
        if (Target is not null)
        {
            CheckColumnsAgainst(Target);
        }
        Check(!Keep.Any(Drop.Contains), nameof(Keep), "columns not also in {Drop}", Quote(Keep.FirstOrDefault(Drop.Contains)));
        Check(Features is null || !Features.Any(Drop.Contains), nameof(Drop), "columns not also in {Features}", Quote(Features?.FirstOrDefault(Drop.Contains)));
        Check(Repeated(Features) is null, nameof(Features), "each column once", $"{Quote(Repeated(Features))} twice");
        Check(Repeated(Drop) is null, nameof(Drop), "each column once", $"{Quote(Repeated(Drop))} twice");
        Check(Repeated(Categorical) is null, nameof(Categorical), "each column once", $"{Quote(Repeated(Categorical))} twice");
        Check(Repeated(Keep) is null, nameof(Keep), "each column once", $"{Quote(Repeated(Keep))} twice");
        Check(Stream != true || Dataset is null, nameof(Stream), "a {Data} file to stream (an embedded {Dataset} is in memory)", $"'{Dataset}'");
        Check(StreamMemory is not long memory || memory >= MinStreamMemory, nameof(StreamMemory), $"at least {MinStreamMemory / 1_000_000} MB", MemoryText(StreamMemory ?? 0));
        Check(Stream != true || CrossFit != true, nameof(CrossFit), "off with {Stream} (it predicts every row out of fold each epoch)", "on");
        Check(Enum.IsDefined(Missing), nameof(Missing), "mean, median or error", Number((int)Missing));
        Check(Task is null || Enum.IsDefined(Task.Value), nameof(Task), "classification or regression", Number((int?)Task ?? 0));
        Check(DateOrder is null || Enum.IsDefined(DateOrder.Value), nameof(DateOrder), "day-first or month-first", Number((int?)DateOrder ?? 0));
        Check(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), "a number ≥ 0 and < 1", Number(ValidationFraction));

        Check(HiddenLayers is not null && AllPositive(HiddenLayers), nameof(HiddenLayers), "positive integers (layer widths)", HiddenLayers is null ? "none" : Numbers(HiddenLayers));
        Check(Activation is null || Enum.IsDefined(Activation.Value), nameof(Activation), string.Join(", ", OptionNames.All<Activation>()), Number((int?)Activation ?? 0));
        Check(Enum.IsDefined(Scaling), nameof(Scaling), string.Join(", ", OptionNames.All<NumericScaling>()), Number((int)Scaling));
        Check(Enum.IsDefined(Parametrization), nameof(Parametrization), string.Join(", ", OptionNames.All<Parametrization>()), Number((int)Parametrization));
        Check(Parametrization == Parametrization.Standard || Initialization is null or Layers.Initialization.Ntk, nameof(Initialization),
            "auto or ntk with {Parametrization} ntk (it draws the weights)", OptionNames.Name(Initialization ?? default));
        Check(Parametrization == Parametrization.Standard || Optimizer != OptimizerKind.Sgd, nameof(Parametrization),
            "standard with {Optimizer} sgd (ntk's per-layer rates follow Adam's steps)", "ntk");
        Check(Dropout >= 0 && Dropout < 1, nameof(Dropout), "a number ≥ 0 and < 1", Number(Dropout));
        Check(CrossFit != true || Members >= 2, nameof(CrossFit), "{Members} of 2 or more with it (each member holds out its own fold)", $"{Number(Members)} member");
        Check(Calibrate != true || ValidationFraction > 0 || ValidationData is not null || (CrossFit != false && Members >= 2), nameof(Calibrate),
            "held-out rows to calibrate on: a {ValidationFraction}, {ValidationData}, or {CrossFit} with several {Members}", "no rows held out");
        Check(CrossFit != true || (ValidationFraction == 0 && ValidationData is null), nameof(ValidationFraction),
            "0 and no {ValidationData} with {CrossFit} (every row validates, held out by one member); {CrossFit} false to hold out a split",
            ValidationData is null ? Number(ValidationFraction) : Quote(ValidationData));
        Check(Enum.IsDefined(Embedding), nameof(Embedding), string.Join(", ", OptionNames.All<InputEmbedding>()), Number((int)Embedding));
        Check(PiecewiseLinearBins == 0 || PiecewiseLinearBins is >= TabularOptions.MinPiecewiseLinearBins and <= TabularOptions.MaxPiecewiseLinearBins,
            nameof(PiecewiseLinearBins), $"0 (none) or an integer from {TabularOptions.MinPiecewiseLinearBins} to {TabularOptions.MaxPiecewiseLinearBins}", Number(PiecewiseLinearBins));
        Check(PiecewiseLinearRowsPerInput >= 0 && double.IsFinite(PiecewiseLinearRowsPerInput), nameof(PiecewiseLinearRowsPerInput),
            "a number ≥ 0 (0 to put the numbers in bins whatever the table's size)", Number(PiecewiseLinearRowsPerInput));
        Check(Members >= 1 && Members <= MaxMembers, nameof(Members), $"an integer from 1 to {MaxMembers}", Number(Members));
        Check(Initialization is null || Enum.IsDefined(Initialization.Value), nameof(Initialization), string.Join(", ", OptionNames.All<Initialization>()), Number((int?)Initialization ?? 0));

        Check(Loss is null || Enum.IsDefined(Loss.Value), nameof(Loss), string.Join(", ", OptionNames.All<LossKind>()), Number((int?)Loss ?? 0));
        Check(HuberDelta > 0 && double.IsFinite(HuberDelta), nameof(HuberDelta), "a positive number", Number(HuberDelta));
        Check(LabelSmoothing is not double smoothing || (smoothing >= 0 && smoothing <= 1), nameof(LabelSmoothing), "a number ≥ 0 and ≤ 1", Number(LabelSmoothing ?? 0));
        Check(ClassWeights is null || AllWeights(ClassWeights), nameof(ClassWeights), "weights ≥ 0", ClassWeights is null ? "" : Numbers(ClassWeights));
        Check(ClassWeights is null || !BalancedClassWeights, nameof(ClassWeights), "either weights or {BalancedClassWeights}", "both");

        Check(Enum.IsDefined(Optimizer), nameof(Optimizer), string.Join(", ", OptionNames.All<OptimizerKind>()), Number((int)Optimizer));
        Check(LearningRate is not double rate || (rate > 0 && double.IsFinite(rate)), nameof(LearningRate), "a positive number", Number(LearningRate ?? 0));
        Check(Momentum >= 0 && Momentum < 1, nameof(Momentum), "a number ≥ 0 and < 1", Number(Momentum));
        Check(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), "a number ≥ 0 and < 1", Number(Beta2));
        Check(Momentum == 0 || Optimizer == OptimizerKind.Sgd, nameof(Momentum), "0 unless {Optimizer} is sgd (Adam's momentum is its first beta)",
            $"{Number(Momentum)} with {OptionNames.Name(Optimizer)}");
        Check(!Nesterov || (Optimizer == OptimizerKind.Sgd && Momentum > 0), nameof(Nesterov), "{Optimizer} sgd and {Momentum} > 0 with it",
            $"{OptionNames.Name(Optimizer)} with momentum {Number(Momentum)}");
        Check(WeightDecay is not double decay || (decay >= 0 && double.IsFinite(decay)), nameof(WeightDecay), "a number ≥ 0", Number(WeightDecay ?? 0));
        Check(ClipNorm is not double clip || (clip > 0 && double.IsFinite(clip)), nameof(ClipNorm), "a positive number", Number(ClipNorm ?? 0));
        Check(Schedule is not null, nameof(Schedule), LearningRateSchedule.Forms, "none");
        if (Schedule!.Problem() is { } problem)
        {
            throw new OptionException(nameof(Schedule), problem, $"'{Schedule}'");
        }
        if (Schedule is CosineSchedule cosine)
        {
            // A floor above the rate would raise it as the run goes on, and a warm-up as long as the run never reaches the rate.
            Check(cosine.MinimumLearningRate <= EffectiveLearningRate, nameof(Schedule), $"a floor no higher than the {{LearningRate}} {Number(EffectiveLearningRate)}", $"'{Schedule}'");
            Check(Epochs == 0 || cosine.WarmupEpochs < Epochs, nameof(Schedule), $"a warm-up shorter than the run's {{Epochs}} {Number(Epochs)}", $"'{Schedule}'");
        }

        Check(Epochs >= 0, nameof(Epochs), "an integer ≥ 0", Number(Epochs));
        Check(BatchSize >= 1, nameof(BatchSize), "an integer ≥ 1", Number(BatchSize));
        Check(EarlyStopping is not int patience || patience >= 1, nameof(EarlyStopping), "an integer ≥ 1", Number(EarlyStopping ?? 0));
        Check(EarlyStoppingSteps >= 0, nameof(EarlyStoppingSteps), "an integer ≥ 0", Number(EarlyStoppingSteps));
        Check(MinDelta >= 0 && double.IsFinite(MinDelta), nameof(MinDelta), "a number ≥ 0", Number(MinDelta));

        Check(SavePath is null || SavePath.Length > 0, nameof(SavePath), "a file path", "''");
        Check(CheckpointEvery is not int every || every >= 1, nameof(CheckpointEvery), "an integer ≥ 1", Number(CheckpointEvery ?? 0));
        Check(CheckpointEvery is null || SavePath is not null, nameof(CheckpointEvery), "{SavePath} with it", "none");

        // Options that exclude each other whatever the data.
        bool classificationLoss = Loss is LossKind.CrossEntropy or LossKind.BinaryCrossEntropy;
        Check(!(Task == TaskKind.Regression && classificationLoss), nameof(Loss), "mse or huber when {Task} is regression", OptionNames.Name(Loss ?? default));
        Check(!(Task == TaskKind.Classification && Loss is LossKind.MeanSquaredError or LossKind.Huber), nameof(Loss),
            "cross-entropy or bce when {Task} is classification", OptionNames.Name(Loss ?? default));
        Check(!(Task == TaskKind.Regression || Loss is LossKind.MeanSquaredError or LossKind.Huber) || LabelSmoothing is null or 0, nameof(LabelSmoothing),
            "0 for a regression", Number(LabelSmoothing ?? 0));
        Check(!(Task == TaskKind.Regression || Loss is LossKind.MeanSquaredError or LossKind.Huber) || (ClassWeights is null && !BalancedClassWeights),
            nameof(ClassWeights), "none for a regression", BalancedClassWeights ? "balanced" : Numbers(ClassWeights ?? []));
        Check(!(Loss == LossKind.BinaryCrossEntropy && LabelSmoothing > 0), nameof(LabelSmoothing), "0 with {Loss} bce (it smooths the cross-entropy)",
            Number(LabelSmoothing ?? 0));
        return this;
    }

    /// <summary>
    /// Warning templates for options set away from their defaults that the run will not use, because the optimizer, loss or
    /// loop they belong to is not the one chosen (a typo-free flag that silently does nothing is a surprise). Call on resolved
    /// options (<see cref="Loss"/> chosen, <see cref="Stream"/> true for a streamed run).
    /// </summary>
    internal IEnumerable<string> UnusedOptionWarnings()
    {
        if (Optimizer == OptimizerKind.Sgd && Beta2 != DefaultBeta2)
        {
            yield return $"{{Beta2}} {Number(Beta2)} is unused: it is the second-moment decay of adam and adamw, and {{Optimizer}} is sgd";
        }
        if (Loss is { } loss && loss != LossKind.Huber && HuberDelta != DefaultHuberDelta)
        {
            yield return $"{{HuberDelta}} {Number(HuberDelta)} is unused: the loss is {OptionNames.Name(loss)} ({{Loss}} huber to use it)";
        }
        // 0 is what a file from before the steps resumes with, and asks for nothing; another count asks for a patience there is none of.
        if (EarlyStoppingSteps is not (0 or DefaultEarlyStoppingSteps) && EarlyStopping is null)
        {
            yield return $"{{EarlyStoppingSteps}} {Number(EarlyStoppingSteps)} is unused: it is early stopping's patience in steps, and {{EarlyStopping}} is none";
        }
        // 0 is what a file from before the rule resumes with, and asks for nothing.
        if (PiecewiseLinearRowsPerInput is not (0 or DefaultPiecewiseLinearRowsPerInput) && PiecewiseLinearBins == 0)
        {
            yield return $"{{PiecewiseLinearRowsPerInput}} {Number(PiecewiseLinearRowsPerInput)} is unused: it decides when a table is too small for the bins, and {{PiecewiseLinearBins}} is 0";
        }
        if (MinDelta != 0 && EarlyStopping is null && !RestoreBest)
        {
            yield return $"{{MinDelta}} {Number(MinDelta)} does not change the model without {{EarlyStopping}} or {{RestoreBest}}: the run keeps its last epoch";
        }
        if (Dropout > 0 && HiddenLayers.Count == 0)
        {
            yield return $"{{Dropout}} {Number(Dropout)} is unused: it drops hidden units, and {{HiddenLayers}} is none";
        }
        if (StreamMemory is long memory && Stream != true)
        {
            yield return $"{{StreamMemory}} {MemoryText(memory)} is unused: the data is read whole, not streamed ({{Stream}} to stream it)";
        }
    }

    /// <summary>
    /// Checks that the network these options build for <paramref name="inputs"/> and <paramref name="outputs"/> fits one block of
    /// parameters (an array holds at most <see cref="Array.MaxLength"/>): its layers' weights and biases, of every member.
    /// </summary>
    /// <exception cref="OptionException">The widths, times the members, make a network past that.</exception>
    public void CheckNetworkSize(int inputs, int outputs)
    {
        long total = 0;
        int[] widths = [inputs, .. HiddenLayers, outputs];
        for (int layer = 1; layer < widths.Length; layer++)
        {
            // Each member's weights and biases (the first layer's members share its inputs; the later ones see their own units).
            total += (long)Members * ((long)widths[layer - 1] + 1) * widths[layer];
        }
        if (total > Array.MaxLength)
        {
            string members = Members == 1 ? "" : $", {Number(Members)} members";
            throw new OptionException(nameof(HiddenLayers),
                string.Create(CultureInfo.InvariantCulture, $"a network of at most {Array.MaxLength:N0} weights and biases ({Plural.Of(inputs, "input")}, {Plural.Of(outputs, "output")}{members})"),
                string.Create(CultureInfo.InvariantCulture, $"{Numbers(HiddenLayers)}: {total:N0}"));
        }
    }

    /// <summary>The options as one JSON object, as the model file's <c>training</c> entry holds them (snake_case keys, a <c>version</c>).</summary>
    public string ToJson() => TrainingEntries.OptionsJson(this);

    /// <summary>
    /// What a run with these options (every automatic choice made) trains, in a line: for example "network 13 inputs → feature scale
    /// → 3 × 256 selu → 3 outputs (ntk parametrization, zero output layer); adam (β₂ 0.95) at 0.04 on coslog, label smoothing 0.1; 256 epochs of
    /// batches of 256 over 142 rows; the epoch of lowest validation loss is kept".
    /// </summary>
    // Once a run: compiled without optimization, as TabularTrainer's Run is (docs/performance.md, "Start-up").
    [MethodImpl(MethodImplOptions.NoOptimization)]
    public string Describe<T>(Layers.Sequential<T> network, int trainingRows) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var parts = new List<string> { $"{Plural.Of(network.InputFeatures, "input")}" + (PiecewiseLinearBins > 0 ? $" (numbers also piecewise-linear in up to {PiecewiseLinearBins} bins)" : "") };
        if (FeatureScale) parts.Add("feature scale");
        if (Embedding == InputEmbedding.Periodic) parts.Add("periodic embedding");
        string activation = Activation is { } a ? " " + OptionNames.Name(a) : "";
        List<List<int>> runs = [];
        foreach (int width in HiddenLayers)
        {
            if (runs.Count > 0 && runs[^1][0] == width) runs[^1].Add(width);
            else runs.Add([width]);
        }
        parts.AddRange(runs.Select(run => (run.Count > 1 ? $"{run.Count} × " : "") + run[0] + activation));
        parts.Add(Plural.Of(network.OutputFeatures / Members, "output"));
        var shape = new List<string> { $"{OptionNames.Name(Parametrization)} parametrization" };
        if (ZeroOutputLayer) shape.Add("zero output layer");
        if (Dropout > 0) shape.Add($"dropout {Number(Dropout)}");
        string optimizer = OptionNames.Name(Optimizer) + (Optimizer == OptimizerKind.Sgd ? "" : $" (β₂ {Number(Beta2)})");
        string smoothing = LabelSmoothing > 0 ? $", label smoothing {Number(LabelSmoothing.Value)}" : "";
        string decay = WeightDecay > 0 ? $", weight decay {Number(WeightDecay.Value)}" : "";
        bool crossFit = CrossFit == true;
        string monitored = crossFit ? "out-of-fold" : ValidationFraction > 0 || ValidationData is not null ? "validation" : "training";
        string kept = PatienceEpochs(trainingRows) is int patience
            ? $"early stopping after {Plural.Of(patience, "epoch")}{(patience > EarlyStopping ? $" (at least {Plural.Of(EarlyStoppingSteps, "step")})" : "")} without improvement{(crossFit ? " of the out-of-fold loss" : "")}, the best epoch kept"
            : RestoreBest ? $"the epoch of lowest {monitored} loss is kept"
            : "the last epoch is kept";
        if (crossFit) kept = $"each member holds out its own fold, 1/{Members} of the rows; " + kept;
        if (Calibrate == true) kept += crossFit ? "; calibrated out of fold" : "; calibrated on the held-out rows";
        string members = Members > 1 ? $", {Members} members averaged" : "";
        return $"network {string.Join(" → ", parts)}{members} ({string.Join(", ", shape)}); {optimizer} at {Number(EffectiveLearningRate)} on {Schedule}{smoothing}{decay}; " +
            $"{Plural.Of(Epochs, "epoch")} of batches of {BatchSize} over {Plural.Of(trainingRows, "row")}; {kept}";
    }

    /// <summary>Checks that no list of columns names <paramref name="target"/> (given, or the last column of the data read).</summary>
    /// <exception cref="OptionException">The target is among the features, the columns to drop or the columns to keep.</exception>
    internal void CheckColumnsAgainst(string target)
    {
        string expected = $"columns other than the target '{OptionPlaceholders.Escape(target)}'";
        Check(Features is null || !Features.Contains(target), nameof(Features), expected, Quote(target));
        Check(!Drop.Contains(target), nameof(Drop), expected, Quote(target));
        Check(!Keep.Contains(target), nameof(Keep), expected, Quote(target));
    }

    private static void Check(bool ok, string option, string expected, string received)
    {
        if (!ok) throw new OptionException(option, expected, received);
    }

    private static bool Names(IReadOnlyList<string>? names) => names is null || names.All(n => !string.IsNullOrEmpty(n));

    // The first name given twice (a typo's trace, or a list pasted twice), if any.
    private static string? Repeated(IReadOnlyList<string>? names) =>
        names?.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;

    // "256 MB", "1.5 GB", "1,000 bytes".
    internal static string MemoryText(long bytes) => MemoryBudget.Size(bytes);

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // "64,32". Validate runs at the start of every run and builds its messages whether or not they are thrown, so these are loops:
    // LINQ or string.Join over ints and doubles is the framework's generic code over value types, compiled at first use in every
    // process (docs/performance.md, "Start-up").
    internal static string Numbers(IReadOnlyList<int> values)
    {
        var parts = new string[values.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = Number(values[i]);
        return string.Join(",", parts);
    }

    internal static string Numbers(IReadOnlyList<double> values)
    {
        var parts = new string[values.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = Number(values[i]);
        return string.Join(",", parts);
    }

    private static bool AllPositive(IReadOnlyList<int> widths)
    {
        for (int i = 0; i < widths.Count; i++)
        {
            if (widths[i] < 1) return false;
        }
        return true;
    }

    private static bool AllWeights(IReadOnlyList<double> weights)
    {
        for (int i = 0; i < weights.Count; i++)
        {
            if (!(weights[i] >= 0 && double.IsFinite(weights[i]))) return false;
        }
        return true;
    }

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Quote(string? text) => text is null ? "none" : $"'{text}'";
}
