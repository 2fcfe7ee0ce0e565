using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using Backprop.Data;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Cli.Rendering;
using Backprop.Metrics;
using Backprop.Models;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli.Commands;

/// <summary>Runs <c>train</c> in precision <typeparamref name="T"/>: data, model, training loop, report.</summary>
internal static class TrainRunner
{
    public static int Run<T>(TrainSettings settings, TextWriter output, TextWriter notes, CancellationToken cancellation = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A --save path that cannot be written fails now, not after the whole run.
        if (settings.Save is { } savePath) AtomicFile.CheckTarget(savePath);
        var rng = new Rng(settings.Seed);
        // --resume: the saved network, preprocessing, target scaling, optimizer state and generator state carry on.
        (TabularModel<T> Model, SavedModel<T> Saved)? resumed = settings.Resume is { } resumePath
            ? TabularModel<T>.FromSaved(ModelFile.Load<T>(resumePath), resumePath)
            : null;
        // The one place data is loaded: embedded or CSV, split, preprocessing fitted on the training rows only (or the resumed one).
        PreparedData<T> data = TrainData.Prepare<T>(settings, notes, resumed?.Model.Preprocessor);
        bool regression = data.Preprocessor.Task == TaskKind.Regression;
        Dataset<T> rawTrain = data.Train;
        Dataset<T>? rawValidation = data.Validation;
        // Regression targets are standardized too, and predictions un-scaled, so targets of any magnitude train alike.
        StandardScaler<T>? targetScaler = !regression ? null
            : resumed is { } r ? new StandardScaler<T>([r.Model.TargetScaling.Mean], [r.Model.TargetScaling.Scale])
            : StandardScaler<T>.Fit(rawTrain.Targets);
        ITask<T> task = regression ? new RegressionTask<T>(settings, targetScaler!) : new ClassificationTask<T>(settings, rawTrain.ClassNames!.Count);
        Dataset<T> train = task.Prepare(rawTrain);
        Dataset<T>? validation = rawValidation is null ? null : task.Prepare(rawValidation);

        Sequential<T> model;
        if (resumed is { } from)
        {
            if (from.Model.Output != task.Output || from.Model.Network.OutputFeatures != task.Outputs)
            {
                throw new BackpropException($"{settings.Resume}: expected a model with {task.Outputs} {task.Output} output(s) for these options. Received: {from.Model.Network.OutputFeatures} {from.Model.Output} output(s); resume with the loss it was trained with.");
            }
            model = from.Model.Network;
        }
        else
        {
            model = BuildMlp<T>(train.FeatureCount, settings.Hidden, task.Outputs, settings.Initialization, settings.Activation, settings.Dropout);
            model.ResetParameters(rng);
        }
        Optimizer<T> optimizer = OptimizerFactory.Create<T>(settings.Optimizer, settings.LearningRate, settings.Momentum, settings.Nesterov, settings.WeightDecay);
        int initialEpoch = 0;
        if (resumed is { } state)
        {
            ResumeState.RestoreOptimizer(state.Saved, optimizer, settings.Resume!);
            ResumeState.RestoreRng(state.Saved, rng, settings.Resume!);
            initialEpoch = EpochsCompleted(state.Saved);
        }
        var trainer = new Trainer<T>(model, task.CreateLoss(rawTrain), optimizer,
            new TrainerOptions(settings.Epochs, settings.BatchSize, settings.Shuffle, settings.ClipNorm) { InitialEpoch = initialEpoch });
        if (settings.Schedule.Create<T>() is { } schedule)
        {
            trainer.Callbacks.Add(schedule);
        }
        EarlyStopping<T>? stopping = settings.EarlyStopping is { } patience ? new EarlyStopping<T>(patience, settings.MinDelta) : null;
        if (stopping is not null)
        {
            trainer.Callbacks.Add(stopping);
        }
        var tabular = new TabularModel<T>(model, data.Preprocessor, task.Output,
            targetScaler is null ? null : new TargetScaling(targetScaler.Mean[0], targetScaler.Scale[0]));
        // Checkpoints are complete tabular models with the resume state: any of them can be evaluated or resumed.
        ModelFileExtras Extras(IReadOnlyList<EpochRecord> history, int? epochsCompleted = null)
        {
            var extras = new ModelFileExtras();
            if (epochsCompleted is { } completed)
            {
                extras.Metadata[ModelCheckpoint<T>.EpochsCompletedKey] = completed.ToString(CultureInfo.InvariantCulture);
            }
            extras.Metadata["training"] = TrainingRecord.OptionsJson(settings, regression);
            extras.Metadata["history"] = TrainingRecord.HistoryJson(history);
            ResumeState.AddOptimizer(extras, optimizer);
            ResumeState.AddRng(extras, rng);
            return tabular.FileExtras(extras);
        }
        // Tracks the best weights (for Ctrl+C) and, with --checkpoint-every, writes the current and the best model.
        var checkpoint = new ModelCheckpoint<T>(
            settings.CheckpointEvery is null ? null : settings.Save,
            settings.CheckpointEvery is null || settings.Save is null ? null : BestPath(settings.Save),
            settings.CheckpointEvery ?? 1,
            context => Extras(context.History),
            record => record.ValidationLoss ?? record.Loss);
        trainer.Callbacks.Add(checkpoint);
        var recorder = new HistoryRecorder<T>();
        trainer.Callbacks.Add(recorder);
        List<EpochRecord> history = recorder.Records;
        if (validation is not null)
        {
            // The main metric per epoch, for the progress display, the plot and the JSON history.
            trainer.Metric = task.Metric;
        }
        bool epochLines = !settings.Quiet && !settings.Json;
        TerminalTrainingDisplay<T>? display = settings.Interactive && !settings.Json && !settings.Quiet
            ? TerminalDisplay<T>(epochLines, regression ? "R²" : "accuracy") : null;
        if (display is not null) trainer.Callbacks.Add(display);
        else if (epochLines) trainer.Callbacks.Add(new EpochLinePrinter<T>(output));
        long started = System.Diagnostics.Stopwatch.GetTimestamp();

        try
        {
            void Fit() => trainer.Fit(train, rng, validation, task.SampleWeights(rawTrain), cancellation);
            if (display is not null) display.Run(Fit);
            else Fit();
        }
        catch (OperationCanceledException) when (settings.Save is { } interruptedPath)
        {
            // Ctrl+C: the current batch finished; keep the best model seen (the current one if no epoch completed).
            if (!checkpoint.SaveBest(interruptedPath, model, Extras(history)))
            {
                tabular.Save(interruptedPath, Extras(history, initialEpoch + history.Count));
            }
            notes.WriteLine($"Saved the best model so far (epoch {Math.Max(checkpoint.BestEpoch, initialEpoch)}) to {interruptedPath}");
            throw;
        }

        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        string? stoppingNote = null;
        if (stopping is not null && history.Count > 0)
        {
            string monitored = validation is null ? "training loss" : "validation loss";
            string ended = stopping.StoppedEpoch is { } stopped ? $"stopped after epoch {stopped}" : "ran all epochs";
            stoppingNote = $"Early stopping: {ended}; restored the weights of epoch {stopping.BestEpoch} ({monitored} {Format(stopping.BestLoss)}).";
        }
        IMetricsReport trainReport = MetricsReport.Evaluate(tabular, rawTrain);
        IMetricsReport? validationReport = validation is null ? null : MetricsReport.Evaluate(tabular, rawValidation!);
        if (settings.Save is { } path)
        {
            tabular.Save(path, Extras(history, initialEpoch + history.Count));
        }
        if (settings.Plot is { } plotPath)
        {
            SavePlot(plotPath, history, validation is not null, regression ? "validation R²" : "validation accuracy");
        }

        if (settings.Json)
        {
            WriteJson(output, settings, regression, history, trainReport, validationReport, stopping?.BestEpoch, seconds);
            return Cli.Success;
        }
        if (stoppingNote is not null && !settings.Quiet) output.WriteLine(stoppingNote);
        // The notebook's closing line, exactly: "Training Accuracy: 0.98".
        output.WriteLine(trainReport.Headline("Training"));
        if (validationReport is not null)
        {
            output.WriteLine(validationReport.Headline("Validation"));
            if (!settings.Quiet) validationReport.WriteText(output, "Validation");
        }
        if (!settings.Quiet)
        {
            if (settings.Save is not null) output.WriteLine($"Saved model to {settings.Save}");
            if (settings.Plot is not null) output.WriteLine($"Plot written to {settings.Plot}");
        }
        return Cli.Success;
    }

    // The --json object. A method of its own, like the two below, so that a plain run never loads System.Text.Json.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteJson(TextWriter output, TrainSettings settings, bool regression, IReadOnlyList<EpochRecord> history,
        IMetricsReport trainReport, IMetricsReport? validationReport, int? bestEpoch, double seconds) =>
        Json.WriteObject(output, w =>
        {
            w.WriteString("task", regression ? "regression" : "classification");
            w.WriteNumber("epochs", history.Count);
            w.WriteStartObject("history");
            w.WriteNumbers("loss", history.Select(e => e.Loss));
            w.WriteNumbers("val_loss", history.Where(e => e.ValidationLoss is not null).Select(e => e.ValidationLoss!.Value));
            w.WriteNumbers(regression ? "val_r2" : "val_accuracy", history.Where(e => e.ValidationMetric is not null).Select(e => e.ValidationMetric!.Value));
            w.WriteEndObject();
            w.WriteStartObject("train");
            trainReport.WriteJson(w);
            w.WriteEndObject();
            if (validationReport is null)
            {
                w.WriteNull("validation");
            }
            else
            {
                w.WriteStartObject("validation");
                validationReport.WriteJson(w);
                w.WriteEndObject();
            }
            if (bestEpoch is { } best) w.WriteNumber("best_epoch", best);
            if (settings.Save is null) w.WriteNull("model");
            else w.WriteString("model", settings.Save);
            if (settings.Plot is not null) w.WriteString("plot", settings.Plot);
            w.WriteNumber("seconds", seconds);
        });

    // Kept out of Run so that a plain run never loads Spectre.Console or ScottPlot: the JIT loads every assembly a method names.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TerminalTrainingDisplay<T> TerminalDisplay<T>(bool epochLines, string metricName) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(AnsiConsole.Console, epochLines, metricName);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SavePlot(string path, IReadOnlyList<EpochRecord> history, bool validation, string metricName) =>
        PlotFile.Save(TrainingPlot.Create(history.Select(e => e.Loss).ToArray(),
            validation ? history.Select(e => e.ValidationLoss ?? double.NaN).ToArray() : null,
            validation ? history.Select(e => e.ValidationMetric ?? double.NaN).ToArray() : null,
            metricName), path);

    // The epochs completed so far, also when Fit ends by an exception (Ctrl+C, divergence).
    private sealed class HistoryRecorder<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public List<EpochRecord> Records { get; } = [];

        public void OnEpochEnd(TrainingContext<T> context, EpochRecord record) => Records.Add(record);
    }

    /// <summary>Where <c>--checkpoint-every</c> keeps the best model: <c>model.safetensors</c> → <c>model.best.safetensors</c>.</summary>
    public static string BestPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", $"{Path.GetFileNameWithoutExtension(path)}.best{Path.GetExtension(path)}");

    private static int EpochsCompleted<T>(SavedModel<T> saved) where T : unmanaged, IFloatingPointIeee754<T> =>
        saved.Metadata.TryGetValue(ModelCheckpoint<T>.EpochsCompletedKey, out string? text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int epochs) ? epochs : 0;

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

        OutputKind Output { get; }

        Dataset<T> Prepare(Dataset<T> encoded);

        ILoss<T> CreateLoss(Dataset<T> rawTrain);

        T[]? SampleWeights(Dataset<T> rawTrain);

        EpochMetric<T>? Metric { get; }
    }

    private sealed class ClassificationTask<T>(TrainSettings settings, int classes) : ITask<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly bool _binaryLoss = settings.Loss is "bce";

        // BCE: one logit for two classes, one per class (one-vs-rest) for more; cross-entropy: one logit per class.
        public int Outputs => _binaryLoss && classes == 2 ? 1 : classes;

        public Dataset<T> Prepare(Dataset<T> encoded)
        {
            if (!_binaryLoss || classes == 2)
            {
                return encoded;
            }
            var oneHot = new Matrix<T>(encoded.Count, classes);
            for (int i = 0; i < encoded.Count; i++) oneHot[i, encoded.Label(i)] = T.One;
            return new Dataset<T>(encoded.Features, oneHot, encoded.FeatureNames, encoded.ClassNames);
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
            return settings.BalancedClassWeights ? Backprop.Preprocessing.ClassWeights.Balanced(rawTrain.Labels(), classes) : null;
        }

        public OutputKind Output => _binaryLoss ? OutputKind.Sigmoid : OutputKind.Softmax;

        // Accuracy per epoch reads class indices from the targets: not for one-vs-rest targets (one column per class).
        public EpochMetric<T>? Metric => _binaryLoss && classes > 2 ? null : EpochMetric<T>.Accuracy();
    }

    private sealed class RegressionTask<T>(TrainSettings settings, StandardScaler<T> targetScaler) : ITask<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Outputs => targetScaler.Mean.Length;

        public Dataset<T> Prepare(Dataset<T> encoded) => new(encoded.Features, targetScaler.Transform(encoded.Targets), encoded.FeatureNames);

        public ILoss<T> CreateLoss(Dataset<T> rawTrain) => settings.Loss is "huber" ? new Huber<T>(settings.HuberDelta) : new MeanSquaredError<T>();

        public T[]? SampleWeights(Dataset<T> rawTrain) => null;

        public OutputKind Output => OutputKind.Identity;

        public EpochMetric<T>? Metric => EpochMetric<T>.RSquared();
    }
}
