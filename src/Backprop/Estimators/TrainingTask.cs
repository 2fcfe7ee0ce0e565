using System.Numerics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.Models;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>What follows from the task once the data is read: the loss, the outputs, the targets the network learns, the weights, the metric.</summary>
/// <remarks>
/// Classification: softmax cross-entropy over one output per class (class weights and label smoothing as PyTorch's), or binary
/// cross-entropy on sigmoid outputs (one for two classes, one per class one-vs-rest, class weights as per-sample weights).
/// Regression: the target standardized with the training rows' mean and deviation, MSE or Huber on that, predictions un-scaled.
/// </remarks>
internal sealed class TrainingTask<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private TrainingTask(LossKind loss, int outputs, OutputKind output, TargetScaling scaling, ILoss<T> lossFunction, Dataset<T> train,
        Dataset<T>? validation, T[]? sampleWeights, EpochMetric<T>? metric, ILoss<T>? validationLossFunction = null,
        Func<Dataset<T>, Dataset<T>>? encode = null, IReadOnlyList<double>? weightOfClass = null)
    {
        _encode = encode ?? (data => data);
        _weightOfClass = weightOfClass;
        ValidationLossFunction = validationLossFunction ?? lossFunction;
        Loss = loss;
        Outputs = outputs;
        Output = output;
        TargetScaling = scaling;
        LossFunction = lossFunction;
        Train = train;
        Validation = validation;
        SampleWeights = sampleWeights;
        Metric = metric;
    }

    /// <summary>The loss, resolved (the options may leave it to the task).</summary>
    private readonly Func<Dataset<T>, Dataset<T>> _encode;
    private readonly IReadOnlyList<double>? _weightOfClass;

    public LossKind Loss { get; }

    /// <summary>Network outputs.</summary>
    public int Outputs { get; }

    /// <summary>How outputs become predictions.</summary>
    public OutputKind Output { get; }

    /// <summary>The regression target's standardization (<see cref="TargetScaling.None"/> for classification).</summary>
    public TargetScaling TargetScaling { get; }

    /// <summary>The loss the trainer minimizes.</summary>
    public ILoss<T> LossFunction { get; }

    /// <summary>
    /// The loss validation is scored with: <see cref="LossFunction"/> without label smoothing, so that the epoch kept and the
    /// validation loss shown are the predictions' own log loss (smoothing is a way to train, not a way to judge).
    /// </summary>
    public ILoss<T> ValidationLossFunction { get; }

    /// <summary>The training rows as the network learns them (standardized targets, one-hot for one-vs-rest).</summary>
    public Dataset<T> Train { get; }

    /// <summary>The validation rows, prepared alike.</summary>
    public Dataset<T>? Validation { get; }

    /// <summary>Per-sample weights (class weights of a binary cross-entropy), or <see langword="null"/>.</summary>
    public T[]? SampleWeights { get; }

    /// <summary>The main metric per epoch: accuracy or R²; none for one-vs-rest targets.</summary>
    public EpochMetric<T>? Metric { get; }

    /// <summary>
    /// About the loss a constant prediction gives: ln C for C classes (uniform probabilities), 1 for a standardized regression
    /// target (its mean). A trained model far above it has diverged.
    /// </summary>
    // Rows of the same preprocessing as the training rows (a chunk of a streamed file) as the loss reads them, as Train is made:
    // the targets standardized (regression) or one column per class (one-vs-rest), and their sample weights (class weights of
    // the binary loss).
    public (Dataset<T> Data, T[]? Weights) Encode(Dataset<T> rows) =>
        (_encode(rows), _weightOfClass is { } weights ? rows.Labels().Select(label => T.CreateChecked(weights[label])).ToArray() : null);

    public double ConstantLoss => Output == OutputKind.Identity ? 1 : Math.Log(Math.Max(2, Train.ClassNames?.Count ?? Outputs));

    /// <summary>What <see cref="ConstantLoss"/> predicts, for messages.</summary>
    public string ConstantPrediction => Output == OutputKind.Identity ? "the training mean" : "equal class probabilities";

    /// <summary>Sets up the task for encoded <paramref name="train"/> and <paramref name="validation"/> rows.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="preprocessor">The fitted preprocessing: it knows the task and the classes.</param>
    /// <param name="train">Encoded training rows (class indices or target values).</param>
    /// <param name="validation">Encoded validation rows, or <see langword="null"/>.</param>
    /// <param name="resumedScaling">A resumed model's target scaling, kept as it is; <see langword="null"/> to fit it on <paramref name="train"/>.</param>
    /// <exception cref="OptionException">The loss, label smoothing or class weights do not fit the task or the classes.</exception>
    public static TrainingTask<T> Create(TabularTrainingOptions options, TabularPreprocessor preprocessor, Dataset<T> train, Dataset<T>? validation,
        TargetScaling? resumedScaling)
    {
        bool regression = preprocessor.Task == TaskKind.Regression;
        string target = $"'{OptionPlaceholders.Escape(preprocessor.State.Target.Name)}'"; // in the messages' templates
        LossKind loss = options.Loss ?? (regression ? LossKind.MeanSquaredError : LossKind.CrossEntropy);
        if (regression)
        {
            if (loss is not (LossKind.MeanSquaredError or LossKind.Huber))
            {
                throw new OptionException(nameof(options.Loss), $"mse or huber for the regression target {target}", OptionNames.Name(loss));
            }
            if (options.LabelSmoothing > 0)
            {
                throw new OptionException(nameof(options.LabelSmoothing), $"0 for the regression target {target}", TabularTrainingOptions.Number(options.LabelSmoothing.Value));
            }
            if (options.BalancedClassWeights || options.ClassWeights is not null)
            {
                throw new OptionException(nameof(options.ClassWeights), $"none for the regression target {target}", "class weights");
            }
            TargetScaling scaling = resumedScaling ?? TargetScaling.Fit(train.TargetValues());
            ILoss<T> function = loss == LossKind.Huber ? new Huber<T>(options.HuberDelta) : new MeanSquaredError<T>();
            return new TrainingTask<T>(loss, 1, OutputKind.Identity, scaling, function, Standardize(train, scaling),
                validation is null ? null : Standardize(validation, scaling), null, EpochMetric<T>.RSquared(), encode: data => Standardize(data, scaling));
        }

        if (loss is not (LossKind.CrossEntropy or LossKind.BinaryCrossEntropy))
        {
            throw new OptionException(nameof(options.Loss), $"cross-entropy or bce for the class target {target}", OptionNames.Name(loss));
        }
        IReadOnlyList<string> classNames = preprocessor.ClassNames!;
        int classes = classNames.Count;
        IReadOnlyList<double>? classWeights = options.ClassWeights;
        if (classWeights is not null && classWeights.Count != classes)
        {
            throw new OptionException(nameof(options.ClassWeights), $"{classes} weights, one per class ({OptionPlaceholders.Escape(string.Join(", ", classNames))})",
                $"{classWeights.Count}");
        }
        if (options.BalancedClassWeights)
        {
            classWeights = ClassWeights.Balanced(train.Labels(), classes);
        }
        if (loss == LossKind.CrossEntropy)
        {
            double smoothing = options.LabelSmoothing ?? (options.Calibrate == true ? TabularTrainingOptions.DefaultLabelSmoothing : 0);
            return new TrainingTask<T>(loss, classes, OutputKind.Softmax, TargetScaling.None, new SoftmaxCrossEntropy<T>(classWeights, smoothing),
                train, validation, null, EpochMetric<T>.Accuracy(), smoothing > 0 ? new SoftmaxCrossEntropy<T>(classWeights) : null);
        }
        // Binary cross-entropy: one logit for two classes, one per class (one-vs-rest targets) for more. Class weights become
        // per-sample weights, which the binary loss takes.
        T[]? sampleWeights = classWeights is null ? null : train.Labels().Select(label => T.CreateChecked(classWeights[label])).ToArray();
        bool oneVsRest = classes > 2;
        return new TrainingTask<T>(loss, oneVsRest ? classes : 1, OutputKind.Sigmoid, TargetScaling.None, new BinaryCrossEntropyWithLogits<T>(),
            oneVsRest ? OneHot(train, classes) : train, validation is null ? null : oneVsRest ? OneHot(validation, classes) : validation, sampleWeights,
            // Accuracy per epoch reads class indices from the targets: not for one-vs-rest targets (one column per class).
            oneVsRest ? null : EpochMetric<T>.Accuracy(), encode: oneVsRest ? data => OneHot(data, classes) : null, weightOfClass: classWeights);
    }

    private static Dataset<T> Standardize(Dataset<T> data, TargetScaling scaling)
    {
        var targets = new Matrix<T>(data.Count, 1);
        for (int i = 0; i < data.Count; i++)
        {
            targets[i, 0] = T.CreateChecked(scaling.Standardize(double.CreateChecked(data.Targets[i, 0])));
        }
        return new Dataset<T>(data.Features, targets, data.FeatureNames);
    }

    private static Dataset<T> OneHot(Dataset<T> data, int classes)
    {
        var targets = new Matrix<T>(data.Count, classes);
        for (int i = 0; i < data.Count; i++) targets[i, data.Label(i)] = T.One;
        return new Dataset<T>(data.Features, targets, data.FeatureNames, data.ClassNames);
    }
}
