using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Data;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>A multilayer-perceptron classifier with the scikit-learn shape: <see cref="Fit"/>, <see cref="Predict"/>, <see cref="PredictProba"/>, <see cref="Score"/>.</summary>
/// <remarks>
/// Softmax cross-entropy over one output per class. Features are standardized inside; labels may be any integers (they are
/// mapped to <c>0 .. C−1</c> in sorted order, <see cref="Classes"/>). See <see cref="MlpOptions"/> for the defaults and how they
/// differ from scikit-learn's. Generic over the precision: <c>MlpClassifier&lt;float&gt;</c> (fast) or <c>&lt;double&gt;</c>.
/// </remarks>
public sealed class MlpClassifier<T> : MlpEstimator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the classifier with <paramref name="options"/>, or the defaults.</summary>
    public MlpClassifier(MlpClassifierOptions? options = null)
    {
        Options = options ?? new MlpClassifierOptions();
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public MlpClassifierOptions Options { get; }

    /// <summary>The distinct training labels, sorted; output <c>k</c> of the network is class <c>Classes[k]</c>.</summary>
    public int[] Classes { get; private set; } = [];

    /// <summary>Trains on <paramref name="features"/> <c>(N, F)</c> with one label per row.</summary>
    /// <returns>This classifier.</returns>
    /// <exception cref="BackpropException">Fewer than two classes, or lengths that do not match.</exception>
    public MlpClassifier<T> Fit(Matrix<T> features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != features.Rows)
        {
            throw new BackpropException($"Expected one label per row ({features.Rows}). Received: {labels.Length}.");
        }
        int[] classes = labels.Distinct().Order().ToArray();
        if (classes.Length < 2)
        {
            throw new BackpropException($"Expected at least two classes. Received: {classes.Length}.");
        }
        if (Options.ClassWeights is { } explicitWeights && explicitWeights.Count != classes.Length)
        {
            throw new BackpropException($"Expected {classes.Length} class weights, one per class. Received: {explicitWeights.Count}.");
        }
        var targets = new Matrix<T>(labels.Length, 1);
        for (int i = 0; i < labels.Length; i++)
        {
            targets[i, 0] = T.CreateChecked(Array.BinarySearch(classes, labels[i]));
        }
        var data = new Dataset<T>(features, targets, classNames: classes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Classes = classes;
        Train(Options, data, classes.Length, CreateLoss, EpochMetric<T>.Accuracy(), DataSplit.Stratified);
        return this;
    }

    /// <summary>The most probable class of each row of <paramref name="features"/>.</summary>
    public int[] Predict(Matrix<T> features) => Classification.ArgMax(Outputs(features)).Select(k => Classes[k]).ToArray();

    /// <summary>Class probabilities <c>(N, C)</c>, columns in the order of <see cref="Classes"/>.</summary>
    public Matrix<T> PredictProba(Matrix<T> features)
    {
        Matrix<T> logits = Outputs(features);
        for (int r = 0; r < logits.Rows; r++)
        {
            Span<T> row = logits.Row(r);
            TensorPrimitives.SoftMax(row, row);
        }
        return logits;
    }

    /// <summary>Accuracy of <see cref="Predict"/> against <paramref name="labels"/>.</summary>
    public double Score(Matrix<T> features, int[] labels) => Classification.Accuracy(labels, Predict(features));

    private SoftmaxCrossEntropy<T> CreateLoss(Dataset<T> train)
    {
        IReadOnlyList<double>? weights = Options.ClassWeights;
        if (weights is null && Options.BalancedClassWeights)
        {
            weights = ClassWeights.Balanced(train.Labels(), Classes.Length);
        }
        return new SoftmaxCrossEntropy<T>(weights, Options.LabelSmoothing);
    }
}
