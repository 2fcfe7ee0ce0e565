using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Metrics;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>Runs <c>train</c> in precision <typeparamref name="T"/>: data, model, training loop, report.</summary>
internal static class TrainRunner
{
    public static int Run<T>(TrainSettings settings, TextWriter output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> raw = LoadDataset<T>(settings);
        var rng = new Rng(settings.Seed);
        bool regression = settings.Regression;
        if (!regression && raw.ClassNames is null)
        {
            throw new BackpropException("Expected class labels in the target for classification. Received: numeric targets; use --task regression.");
        }

        // Hold out validation data first, so the scalers below see only the training part.
        (Dataset<T> rawTrain, Dataset<T>? rawValidation) = (raw, null);
        if (settings.Validation > 0)
        {
            (rawTrain, rawValidation) = regression
                ? DataSplit.Random(raw, settings.Validation, rng)
                : DataSplit.Stratified(raw, settings.Validation, rng);
        }
        StandardScaler<T> scaler = StandardScaler<T>.Fit(rawTrain.Features);
        // Regression targets are standardized too, and predictions un-scaled, so targets of any magnitude train alike.
        StandardScaler<T>? targetScaler = regression ? StandardScaler<T>.Fit(rawTrain.Targets) : null;
        ITask<T> task = regression ? new RegressionTask<T>(settings, targetScaler!) : new ClassificationTask<T>(settings, raw.ClassNames!.Count);
        Dataset<T> train = task.Prepare(rawTrain.WithFeatures(scaler.Transform(rawTrain.Features)));
        Dataset<T>? validation = rawValidation is null ? null : task.Prepare(rawValidation.WithFeatures(scaler.Transform(rawValidation.Features)));

        Sequential<T> model = BuildMlp<T>(train.FeatureCount, settings.Hidden, task.Outputs, settings.Initialization, settings.Activation, settings.Dropout);
        model.ResetParameters(rng);
        Optimizer<T> optimizer = OptimizerFactory.Create<T>(settings.Optimizer, settings.LearningRate, settings.Momentum, settings.Nesterov, settings.WeightDecay);
        var trainer = new Trainer<T>(model, task.CreateLoss(rawTrain), optimizer,
            new TrainerOptions(settings.Epochs, settings.BatchSize, settings.Shuffle, settings.ClipNorm));
        if (settings.Schedule.Create<T>() is { } schedule)
        {
            trainer.Callbacks.Add(schedule);
        }
        EarlyStopping<T>? stopping = settings.EarlyStopping is { } patience ? new EarlyStopping<T>(patience, settings.MinDelta) : null;
        if (stopping is not null)
        {
            trainer.Callbacks.Add(stopping);
        }
        trainer.Callbacks.Add(new EpochLinePrinter<T>(output));
        IReadOnlyList<EpochRecord> history = trainer.Fit(train, rng, validation, task.SampleWeights(rawTrain));

        if (stopping is not null && history.Count > 0)
        {
            string monitored = validation is null ? "training loss" : "validation loss";
            string ended = stopping.StoppedEpoch is { } stopped ? $"stopped after epoch {stopped}" : "ran all epochs";
            output.WriteLine($"Early stopping: {ended}; restored the weights of epoch {stopping.BestEpoch} ({monitored} {Format(stopping.BestLoss)}).");
        }
        task.Report(output, "Training", model.Predict(train.Features), rawTrain, brief: true);
        if (validation is not null)
        {
            task.Report(output, "Validation", model.Predict(validation.Features), rawValidation!, brief: false);
        }
        return Cli.Success;
    }

    /// <summary>The data set the run trains on: the one place data is loaded.</summary>
    public static Dataset<T> LoadDataset<T>(TrainSettings settings) where T : unmanaged, IFloatingPointIeee754<T> =>
        EmbeddedDatasets.Load<T>(settings.Dataset);

    /// <summary><c>Dense(F → h₁) → activation [→ Dropout] → … → Dense(hₖ → C)</c>.</summary>
    public static Sequential<T> BuildMlp<T>(int inputs, IReadOnlyList<int> hidden, int outputs, Initialization initialization,
        Activation activation = Activation.Relu, double dropout = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Mlp.Create<T>(inputs, hidden, outputs, activation, initialization, dropout);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>What differs between classification and regression: targets, loss, weights and the final report.</summary>
    private interface ITask<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        int Outputs { get; }

        Dataset<T> Prepare(Dataset<T> scaled);

        ILoss<T> CreateLoss(Dataset<T> rawTrain);

        T[]? SampleWeights(Dataset<T> rawTrain);

        void Report(TextWriter output, string part, Matrix<T> outputs, Dataset<T> raw, bool brief);
    }

    private sealed class ClassificationTask<T>(TrainSettings settings, int classes) : ITask<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly bool _binaryLoss = settings.Loss is "bce";

        // BCE: one logit for two classes, one per class (one-vs-rest) for more; cross-entropy: one logit per class.
        public int Outputs => _binaryLoss && classes == 2 ? 1 : classes;

        public Dataset<T> Prepare(Dataset<T> scaled)
        {
            if (!_binaryLoss || classes == 2)
            {
                return scaled;
            }
            var oneHot = new Matrix<T>(scaled.Count, classes);
            for (int i = 0; i < scaled.Count; i++) oneHot[i, scaled.Label(i)] = T.One;
            return new Dataset<T>(scaled.Features, oneHot, scaled.FeatureNames, scaled.ClassNames);
        }

        public ILoss<T> CreateLoss(Dataset<T> rawTrain) =>
            _binaryLoss ? new BinaryCrossEntropyWithLogits<T>() : new SoftmaxCrossEntropy<T>(ClassWeights(rawTrain), settings.LabelSmoothing);

        // Cross-entropy takes class weights itself (PyTorch's semantics); BCE gets them as per-sample weights.
        public T[]? SampleWeights(Dataset<T> rawTrain)
        {
            if (!_binaryLoss || ClassWeights(rawTrain) is not { } weights)
            {
                return null;
            }
            return Enumerable.Range(0, rawTrain.Count).Select(i => T.CreateChecked(weights[rawTrain.Label(i)])).ToArray();
        }

        private double[]? ClassWeights(Dataset<T> rawTrain)
        {
            if (settings.ClassWeights is { } explicitWeights)
            {
                if (explicitWeights.Length != classes)
                {
                    throw new BackpropException($"--class-weight: expected {classes} weights, one per class ({string.Join(", ", rawTrain.ClassNames!)}). Received: {explicitWeights.Length}.");
                }
                return explicitWeights;
            }
            return settings.BalancedClassWeights ? Backprop.Preprocessing.ClassWeights.Balanced(Labels(rawTrain), classes) : null;
        }

        public void Report(TextWriter output, string part, Matrix<T> outputs, Dataset<T> raw, bool brief)
        {
            int[] actual = Labels(raw), predicted = Classification.Predict(outputs);
            output.WriteLine($"{part} Accuracy: {Format(Classification.Accuracy(actual, predicted))}");
            if (brief)
            {
                return;
            }
            output.WriteLine($"{part} Balanced Accuracy: {Format(Classification.BalancedAccuracy(actual, predicted, classes))}");
            output.WriteLine($"{part} Macro F1: {Format(Classification.MacroF1(actual, predicted, classes))}");
            output.WriteLine($"{part} Weighted F1: {Format(Classification.WeightedF1(actual, predicted, classes))}");
            output.WriteLine($"{part} Log Loss: {Format(Classification.LogLoss(actual, Probabilities(outputs)))}");
            IReadOnlyList<string> names = raw.ClassNames!;
            int width = Math.Max(9, names.Max(n => n.Length));
            output.WriteLine($"{part} per class:");
            output.WriteLine($"  {"class".PadRight(width)}  precision  recall  f1      support");
            ClassScores[] scores = Classification.PerClass(actual, predicted, classes);
            for (int c = 0; c < classes; c++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {names[c].PadRight(width)}  {scores[c].Precision,9:F4}  {scores[c].Recall,6:F4}  {scores[c].F1,6:F4}  {scores[c].Support,7}"));
            }
            int[,] confusion = Classification.ConfusionMatrix(actual, predicted, classes);
            output.WriteLine($"{part} confusion matrix (rows: true class, columns: predicted):");
            for (int a = 0; a < classes; a++)
            {
                output.WriteLine($"  {names[a].PadRight(width)}  {string.Join(" ", Enumerable.Range(0, classes).Select(p => confusion[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(5)))}");
            }
        }

        // Softmax of the logits; for BCE the sigmoids (two classes: [1 − σ, σ]; one-vs-rest: normalized to sum to 1).
        private Matrix<T> Probabilities(Matrix<T> outputs)
        {
            var probabilities = new Matrix<T>(outputs.Rows, classes);
            for (int r = 0; r < outputs.Rows; r++)
            {
                Span<T> row = probabilities.Row(r);
                if (!_binaryLoss)
                {
                    TensorPrimitives.SoftMax(outputs.Row(r), row);
                }
                else if (classes == 2)
                {
                    T p = T.One / (T.One + T.Exp(-outputs[r, 0]));
                    (row[0], row[1]) = (T.One - p, p);
                }
                else
                {
                    TensorPrimitives.Sigmoid(outputs.Row(r), row);
                    TensorPrimitives.Divide(row, TensorPrimitives.Sum<T>(row), row);
                }
            }
            return probabilities;
        }

        private static int[] Labels(Dataset<T> data) => Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
    }

    private sealed class RegressionTask<T>(TrainSettings settings, StandardScaler<T> targetScaler) : ITask<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Outputs => targetScaler.Mean.Length;

        public Dataset<T> Prepare(Dataset<T> scaled) => new(scaled.Features, targetScaler.Transform(scaled.Targets), scaled.FeatureNames);

        public ILoss<T> CreateLoss(Dataset<T> rawTrain) => settings.Loss is "huber" ? new Huber<T>(settings.HuberDelta) : new MeanSquaredError<T>();

        public T[]? SampleWeights(Dataset<T> rawTrain) => null;

        public void Report(TextWriter output, string part, Matrix<T> outputs, Dataset<T> raw, bool brief)
        {
            // Un-scale the standardized predictions back to the target's units, column by column.
            double r2 = 0, mae = 0, rmse = 0;
            for (int c = 0; c < outputs.Columns; c++)
            {
                double[] actual = new double[raw.Count], predicted = new double[raw.Count];
                for (int i = 0; i < raw.Count; i++)
                {
                    actual[i] = double.CreateChecked(raw.Targets[i, c]);
                    predicted[i] = double.CreateChecked(outputs[i, c]) * targetScaler.Scale[c] + targetScaler.Mean[c];
                }
                r2 += Regression.RSquared(actual, predicted) / outputs.Columns;
                mae += Regression.MeanAbsoluteError(actual, predicted) / outputs.Columns;
                rmse += Regression.RootMeanSquaredError(actual, predicted) / outputs.Columns;
            }
            output.WriteLine($"{part} R²: {Format(r2)}");
            if (!brief)
            {
                output.WriteLine($"{part} MAE: {Format(mae)}");
                output.WriteLine($"{part} RMSE: {Format(rmse)}");
            }
        }
    }
}
