using System.Globalization;
using System.Numerics;
using Backprop.Data;
using Backprop.Metrics;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Estimators;

/// <summary>A multilayer-perceptron classifier with the scikit-learn shape: <see cref="Fit(Matrix{T}, int[])"/>, <see cref="Predict(Matrix{T})"/>, <see cref="PredictProba(Matrix{T})"/>, <see cref="Score"/>, <see cref="MlpEstimator{T}.Save"/>, <see cref="Load"/>.</summary>
/// <remarks>
/// Softmax cross-entropy over one output per class (or the loss the options name). Features are standardized inside; labels may
/// be any integers (they are mapped to <c>0 .. C−1</c> in ascending order, <see cref="Classes"/>), or, from a CSV file, any text.
/// See <see cref="TabularTrainingOptions"/> for the defaults and how they differ from scikit-learn's. Generic over the precision:
/// <c>MlpClassifier&lt;float&gt;</c> (fast) or <c>&lt;double&gt;</c>.
/// </remarks>
public sealed class MlpClassifier<T> : MlpEstimator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the classifier with <paramref name="options"/>, or the defaults.</summary>
    /// <exception cref="OptionException">An option is out of range, contradicts another, or is for a regression.</exception>
    public MlpClassifier(TabularTrainingOptions? options = null) : base(options, TaskKind.Classification) { }

    /// <summary>The class labels, in output order: output <c>k</c> of the network is class <c>ClassLabels[k]</c>.</summary>
    public IReadOnlyList<string> ClassLabels { get; private set; } = [];

    /// <summary>The labels as integers, ascending: output <c>k</c> is class <c>Classes[k]</c>.</summary>
    /// <exception cref="InvalidOperationException">The model's labels are text (a model trained on a CSV file): use <see cref="ClassLabels"/>.</exception>
    public int[] Classes => _classes ?? throw new InvalidOperationException(
        $"The classes are text labels ({string.Join(", ", ClassLabels.Take(5))}{(ClassLabels.Count > 5 ? ", …" : "")}): use ClassLabels and PredictLabels.");

    private int[]? _classes;

    /// <summary>Trains on <paramref name="features"/> <c>(N, F)</c> with one integer label per row.</summary>
    /// <returns>This classifier.</returns>
    /// <exception cref="BackpropException">Lengths that do not match, fewer than two classes, a value that is not finite, or divergence.</exception>
    /// <exception cref="OptionException">An option does not fit the data (for example one class weight per class).</exception>
    public MlpClassifier<T> Fit(Matrix<T> features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != features.Rows)
        {
            throw new BackpropException($"Expected one label per row ({features.Rows}). Received: {labels.Length}.");
        }
        FitTable(TableOf(features, r => labels[r]));
        return this;
    }

    /// <summary>Trains on a CSV file: the target is <see cref="TabularTrainingOptions.Target"/> (default the last column), text or integer labels.</summary>
    /// <returns>This classifier.</returns>
    /// <exception cref="BackpropException">The file is unreadable or unusable, or training diverged.</exception>
    /// <exception cref="OptionException">An option does not fit the data.</exception>
    public MlpClassifier<T> Fit(string csvPath)
    {
        FitFile(csvPath);
        return this;
    }

    /// <summary>Trains on a table, validating on <paramref name="validation"/> when given (instead of holding out <see cref="TabularTrainingOptions.ValidationFraction"/>).</summary>
    /// <returns>This classifier.</returns>
    /// <exception cref="BackpropException">The table is unusable, or training diverged.</exception>
    /// <exception cref="OptionException">An option does not fit the data.</exception>
    public MlpClassifier<T> Fit(Table table, Table? validation = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        FitTable(table, validation);
        return this;
    }

    /// <summary>Loads a classifier saved by <see cref="MlpEstimator{T}.Save"/> or trained by <c>backprop train --save</c>.</summary>
    /// <exception cref="BackpropException">The file is missing, malformed, or holds a regression model.</exception>
    public static MlpClassifier<T> Load(string path)
    {
        var classifier = new MlpClassifier<T>();
        classifier.LoadFile(path, TaskKind.Classification);
        return classifier;
    }

    /// <summary>Class probabilities <c>(N, C)</c>, columns in the order of <see cref="ClassLabels"/>.</summary>
    public Matrix<T> PredictProba(Matrix<T> features) => Predicted(features, Model.PredictProbabilities, table => Model.PredictProbabilities(table));

    /// <summary>Class probabilities <c>(N, C)</c> for the rows of a table with the training columns (by name).</summary>
    public Matrix<T> PredictProba(Table table) => Model.PredictProbabilities(table);

    /// <summary>The most probable class of each row of <paramref name="features"/>.</summary>
    /// <exception cref="InvalidOperationException">The labels are text: use <see cref="PredictLabels(Matrix{T})"/>.</exception>
    public int[] Predict(Matrix<T> features)
    {
        int[] classes = Classes;
        return Classification.ArgMax(PredictProba(features)).Select(k => classes[k]).ToArray();
    }

    /// <summary>The label of the most probable class of each row of <paramref name="features"/>.</summary>
    public string[] PredictLabels(Matrix<T> features) => Classification.ArgMax(PredictProba(features)).Select(k => ClassLabels[k]).ToArray();

    /// <summary>The label of the most probable class of each row of <paramref name="table"/>.</summary>
    public string[] PredictLabels(Table table) => Classification.ArgMax(PredictProba(table)).Select(k => ClassLabels[k]).ToArray();

    /// <summary>Accuracy of <see cref="Predict"/> against <paramref name="labels"/>.</summary>
    public double Score(Matrix<T> features, int[] labels) => Classification.Accuracy(labels, Predict(features));

    private protected override void Loaded()
    {
        ClassLabels = Model.ClassLabels!;
        var classes = new int[ClassLabels.Count];
        bool integers = true;
        for (int k = 0; k < classes.Length && integers; k++)
        {
            integers = int.TryParse(ClassLabels[k], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out classes[k]);
        }
        _classes = integers ? classes : null;
    }
}
