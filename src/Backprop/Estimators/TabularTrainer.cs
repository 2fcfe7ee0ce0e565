using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Backprop.Data;
using Backprop.IO;
using Backprop.Layers;
using Backprop.Losses;
using Backprop.Models;
using Backprop.Optimizers;
using Backprop.Preprocessing;
using Backprop.Serialization;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>
/// The one way Backprop trains a model on a table: read it, split it, fit the preprocessing on the training rows, set up the task
/// (loss, outputs, target scaling, class weights), build and train the network with the options' optimizer, schedule and early
/// stopping, keep checkpoints, stop cleanly on cancellation, and hand back a <see cref="TabularModel{T}"/> that saves to one file.
/// <c>backprop train</c> and the estimators (<see cref="MlpClassifier{T}"/>, <see cref="MlpRegressor{T}"/>) are thin layers over it.
/// </summary>
/// <remarks>
/// <para>
/// A run is described by its <see cref="TabularTrainingOptions"/> alone, so the same options and data give the same bytes
/// whoever calls: the command line, an estimator, or this class directly.
/// </para>
/// <para>
/// <b>Resuming.</b> <see cref="Resume"/> reads a model file written by a run and continues it: the options are the file's, with
/// whatever the caller changes, and everything the file holds (weights, optimizer state, generator, schedule and early-stopping
/// bookkeeping, epoch count) carries on. With nothing changed, a run resumed after <c>k</c> epochs ends exactly as the run
/// trained in one go. A changed option applies from the resumed epoch on: the learning rate is the schedule's new base, the
/// epoch count is the run's new length (and a cosine schedule's horizon), new data or a new validation fraction or seed gives
/// a new split (a new seed also a new generator), while the network and the preprocessing stay the model's.
/// </para>
/// <para>
/// <b>What is saved when.</b> With a <see cref="TabularTrainingOptions.SavePath"/>, the model is written at the end; with
/// <see cref="TabularTrainingOptions.CheckpointEvery"/> also the current state every that many epochs, and the best one so far
/// beside it (<see cref="TabularTrainingOptions.BestPathOf"/>) whenever it improves. On cancellation the best state so far is
/// written to the save path (if an epoch completed) and a <see cref="TrainingCanceledException"/> says where. A run that diverges
/// writes nothing more: the files of its finite epochs stay as they were, and <see cref="TrainingDivergedException"/> says why.
/// Every file is a complete model that resumes exactly from the epoch it holds.
/// </para>
/// </remarks>
public sealed class TabularTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The split draws from a generator of its own, derived from the seed, so a resumed run (whose training generator continues
    // from the saved state) holds out exactly the rows of the run it continues.
    private const ulong SplitSeedSalt = 0x5EED_5B11_7000_0001;

    // The folds of cross-fitting draw from a generator of their own too (a resumed run deals the same folds).
    internal const ulong FoldSeedSalt = 0x5EED_F01D_5000_0002;

    // The share of rows a streamed run holds out when the options hold out none (and would cross-fit).
    private const double StreamedValidationFraction = 0.1;

    private readonly SavedTraining<T>? _resumed;

    /// <summary>Prepares a fresh run.</summary>
    /// <exception cref="OptionException">An option is out of range, or contradicts another.</exception>
    public TabularTrainer(TabularTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
    }

    private TabularTrainer(TabularTrainingOptions options, SavedTraining<T> resumed)
    {
        Options = options;
        _resumed = resumed;
    }

    /// <summary>Prepares to continue the run saved at <paramref name="path"/>, with its options changed by <paramref name="change"/>.</summary>
    /// <param name="path">A model file written by a run (<see cref="TabularTrainingResult{T}.Save"/>, <c>backprop train --save</c>, a checkpoint).</param>
    /// <param name="change">
    /// Gets the file's options and returns the run's: every option the caller does not change comes from the file. For example
    /// <c>saved =&gt; saved with { Epochs = 80, LearningRate = 0.001 }</c>. <see langword="null"/> continues the run as it was.
    /// </param>
    /// <exception cref="BackpropException">The file is missing, malformed, or holds no training state.</exception>
    /// <exception cref="OptionException">A changed option is out of range, or changes what the saved network and preprocessing fix.</exception>
    public static TabularTrainer<T> Resume(string path, Func<TabularTrainingOptions, TabularTrainingOptions>? change = null)
    {
        SavedTraining<T> saved = SavedTraining<T>.Load(path);
        TabularTrainingOptions options = change is null ? saved.Options : change(saved.Options) ?? throw new ArgumentNullException(nameof(change));
        // What the file fixes first: a changed task is "fixed by the model", not a loss that does not suit it.
        saved.CheckChanges(options);
        options = options.Validate();
        return new TabularTrainer<T>(options, saved);
    }

    /// <summary>The run's options, validated.</summary>
    public TabularTrainingOptions Options { get; }

    /// <summary>Epochs the model has trained before this run: 0, or what the resumed file holds.</summary>
    public int InitialEpoch => _resumed?.EpochsCompleted ?? 0;

    /// <summary>Called during the run, after the trainer's own callbacks: progress displays, logging, a custom stop rule.</summary>
    public IList<ITrainingCallback<T>> Callbacks { get; } = new List<ITrainingCallback<T>>();

    /// <summary>Receives what the run decided or noticed (the data read, columns dropped or imputed, unseen categories), before training starts.</summary>
    public Action<TrainingNote>? Notes { get; set; }

    /// <summary>
    /// The ranks of a data-parallel run (<see cref="Trainer{T}.Collective"/>), or <see langword="null"/> for one process. Every
    /// rank runs the same options on the same data and ends with the same model; rank 0 alone writes the model file and its
    /// checkpoints.
    /// </summary>
    public ICollective? Collective { get; set; }

    /// <summary>Trains on the data the options name (<see cref="TabularTrainingOptions.Data"/> or <see cref="TabularTrainingOptions.Dataset"/>; a resumed run's own by default).</summary>
    /// <param name="cancellationToken">Ends the run after the current batch (Ctrl+C), saving the best model so far.</param>
    /// <exception cref="BackpropException">The data is unreadable or unusable, a file cannot be written, or training diverged (<see cref="TrainingDivergedException"/>).</exception>
    /// <exception cref="OptionException">An option does not fit the data (for example a regression loss on a class target).</exception>
    /// <exception cref="TrainingCanceledException">The run was canceled.</exception>
    public TabularTrainingResult<T> Fit(CancellationToken cancellationToken = default) => Run(null, null, cancellationToken);

    /// <summary>Trains on <paramref name="data"/> (a table read from a file or built in memory), validating on <paramref name="validation"/> if given.</summary>
    /// <inheritdoc cref="Fit(CancellationToken)"/>
    public TabularTrainingResult<T> Fit(Table data, Table? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Run(data, validation, cancellationToken);
    }

    // Once a run and large (6,500 bytes of IL): compiled without optimization. Its loops would otherwise have the JIT optimize it
    // fully at its first call (QuickJitForLoops is off for the kernels' sake), for nothing: its work is in what it calls. With the
    // three other methods so marked, 35 ms less of each Release-build run (docs/performance.md, "Start-up").
    [MethodImpl(MethodImplOptions.NoOptimization)]
    private TabularTrainingResult<T> Run(Table? givenData, Table? givenValidation, CancellationToken cancellationToken)
    {
        // The rate is the optimizer's own unless given: what the file records and a resumed run starts from.
        TabularTrainingOptions options = Options with { LearningRate = Options.EffectiveLearningRate };
        double learningRate = options.EffectiveLearningRate;
        // A rate past the precision's largest number is infinite in it: the run could not take one step.
        if (!T.IsFinite(T.CreateTruncating(learningRate)))
        {
            throw new OptionException(nameof(options.LearningRate),
                string.Create(CultureInfo.InvariantCulture, $"a rate that float32 holds (at most {float.MaxValue:G3})"),
                TabularTrainingOptions.Number(learningRate));
        }
        // A save path that cannot be written fails now, not after the whole run.
        if (options.SavePath is { } savePath)
        {
            AtomicFile.CheckTarget(savePath);
            // Checkpoints keep the best epoch beside it, under a longer name.
            if (options.CheckpointEvery is not null) AtomicFile.CheckTarget(TabularTrainingOptions.BestPathOf(savePath));
        }
        TabularPreprocessor? fitted = _resumed?.Model.Preprocessor;
        bool embedded = givenData is null && options.Data is null;
        StreamedTable? streamed = null;
        Table? whole = givenData;
        if (givenData is null && options.Data is { } dataPath)
        {
            bool stream = options.Stream ?? ChoosesStreaming(dataPath);
            if (!stream)
            {
                try
                {
                    whole = ReadTable(options, fitted);
                }
                catch (TooLargeForMemoryException e) when (options.Stream is null)
                {
                    // The first rows showed that the table would not fit after all: streamed instead, not refused.
                    Note(false, OptionPlaceholders.Escape($"streaming {dataPath}: {e.Reason}") + " ({Stream} false to be refused instead)");
                    stream = true;
                }
            }
            if (stream)
            {
                options = Streaming(options);
                streamed = StreamedTable.Scan(options, ReadOptionsOf(options, fitted), fitted?.State.Target.Name ?? options.Target, Collective, cancellationToken);
            }
            else
            {
                options = options with { Stream = false };
            }
        }
        Table table = streamed?.Sample ?? whole ?? ReadTable(options, fitted);

        // Rows split before anything is fitted, so that no statistic of the held-out rows leaks into the preprocessing.
        TabularOptions tabular = fitted is null
            ? new TabularOptions(options.Target, options.Features, options.Drop, options.Categorical, options.Missing, options.Task, Keep: options.Keep, Scaling: options.Scaling,
                PiecewiseLinearBins: options.PiecewiseLinearBins, DateOrder: options.DateOrder)
            : new TabularOptions(fitted.State.Target.Name, Task: fitted.Task);
        if (fitted is null)
        {
            // The target is known now, also when it is the last column by default.
            options.CheckColumnsAgainst(options.Target ?? table.ColumnNames[^1]);
        }
        int[]? trainRows = null, validationRows = null;
        bool separateValidation = givenValidation is not null || options.ValidationData is not null;
        if (options.ValidationFraction > 0 && !separateValidation && streamed is null)
        {
            (trainRows, validationRows) = RowSplit.TrainValidation(table, tabular, options.ValidationFraction, new Rng(options.Seed ^ SplitSeedSalt));
            if (validationRows.Length == 0)
            {
                // Nothing to judge an epoch or calibrate on: every loss and metric of it would be NaN.
                throw new OptionException(nameof(options.ValidationFraction),
                    $"a share that holds out at least one of the {Plural.Of(trainRows.Length, "row")} with a target (each class keeps one for training)",
                    Number(options.ValidationFraction));
            }
        }
        TabularPreprocessor preprocessor = fitted ?? TabularPreprocessor.Fit(table, tabular, trainRows);
        // Said after what was read (below), which is the run's first line, as every remark on the options is.
        TrainingNote? unbinned = null;
        long binInputs = fitted is null ? BinInputs(preprocessor.State.Features) : 0;
        // The rows an epoch will train on: a stream's count (of every rank), else those the preprocessing was fitted on.
        long fittedRows = streamed?.TrainingRows ?? preprocessor.FittedRows;
        // Bins asked for and not made are a warning; the default's (or a stricter rule asked for) only a note.
        bool binsAsked = options.PiecewiseLinearBins != new TabularTrainingOptions().PiecewiseLinearBins;
        if (options.TooFewRowsForBins(fittedRows, binInputs))
        {
            // More inputs than the rows can fit: the numbers enter as they are. Decided before any row is encoded, so that a wide
            // table never holds the bins' inputs; fitted again without them (the rows are few, so it is cheap).
            unbinned = new TrainingNote(binsAsked, $"no piecewise-linear inputs: the bins would add {Plural.Of(binInputs, "input")} for {Plural.Of(fittedRows, "training row")}, " +
                $"fewer than {TabularTrainingOptions.Number(options.PiecewiseLinearRowsPerInput)} rows each ({{PiecewiseLinearRowsPerInput}} 0 to put the numbers in bins anyway)");
            preprocessor = TabularPreprocessor.Fit(table, tabular with { PiecewiseLinearBins = 0 }, trainRows);
        }
        else if (fitted is null && options.PiecewiseLinearBins > 0 && binInputs == 0)
        {
            // None said on a table with no number at all.
            string why = $"no numeric column has {TabularOptions.MinPiecewiseLinearBins} or more distinct quantiles to put in bins";
            if (binsAsked)
            {
                unbinned = new TrainingNote(true, $"{{PiecewiseLinearBins}} {options.PiecewiseLinearBins} is unused: {why}");
            }
            else if (preprocessor.State.Features.Any(f => f.Kind is FeatureKind.Numeric or FeatureKind.Date))
            {
                unbinned = new TrainingNote(false, $"no piecewise-linear inputs: {why}");
            }
        }
        var warnings = new List<string>();
        // A streamed run's samples become inputs within their share of its memory too (one-hot columns may make them larger).
        int bytesPerRow = Unsafe.SizeOf<T>() * (preprocessor.FeatureCount + 1);
        Dataset<T> trainingData = preprocessor.Transform<T>(table, trainRows ?? streamed?.RowsWithin(table, bytesPerRow), warnings);
        // The rows an epoch trains on: a streamed run's are all of its data's (of every rank), not the sample held here.
        long trainingRows = streamed?.TrainingRows ?? trainingData.Count;
        Dataset<T>? validationData = validationRows is not null ? preprocessor.Transform<T>(table, validationRows, warnings)
            : streamed?.Validation is { } heldOut ? preprocessor.Transform<T>(heldOut, streamed.RowsWithin(heldOut, bytesPerRow), warnings)
            : null;
        Table? validationTable = givenValidation
            ?? (options.ValidationData is { } validationPath
                ? Table.Read(validationPath, preprocessor.ReadOptions(options.Delimiter) with { Decimal = options.Decimal })
                : null);
        if (validationTable is not null)
        {
            // Encoded with the preprocessing fitted on the training data, as predictions on new data will be.
            validationData = preprocessor.Transform<T>(validationTable, warnings: warnings);
        }
        if (streamed is not null)
        {
            Note(false, OptionPlaceholders.Escape(StreamSummary(streamed, preprocessor, validationData?.Count ?? 0)));
            foreach (string note in streamed.ReadNotes) Note(false, OptionPlaceholders.Escape(note));
            streamed.ReleaseSamples();
            if (streamed.SkippedRows > 0)
            {
                Note(false, $"skipped {streamed.SkippedRows} row(s) whose target '{OptionPlaceholders.Escape(preprocessor.State.Target.Name)}' is missing");
            }
        }
        else if (!embedded)
        {
            Note(false, OptionPlaceholders.Escape(Summary(table, preprocessor)));
            foreach (string note in table.Notes) Note(false, OptionPlaceholders.Escape(note));
        }
        if (validationRows is not null && table.RowCount - trainRows!.Length - validationRows.Length is int skipped and > 0)
        {
            // The split leaves them out, so the preprocessing never sees them to say so.
            Note(false, $"skipped {skipped} row(s) whose target '{OptionPlaceholders.Escape(preprocessor.State.Target.Name)}' is missing");
        }
        if (options.ValidationData is { } validating && options.Data is { } training
            && string.Equals(Path.GetFullPath(validating), Path.GetFullPath(training), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
        {
            // Allowed (a smoke test), but every number called validation would be the training rows' own.
            Note(true, "{ValidationData} is the {Data} file: the rows it validates on are the rows it trains on, so the validation loss and the epoch it picks say nothing of new data");
        }
        if (unbinned is not null) Note(unbinned.IsWarning, unbinned.Template);
        foreach (string note in preprocessor.NoteTemplates) Note(false, note);
        foreach (string warning in warnings.Except(preprocessor.Notes)) Note(true, OptionPlaceholders.Escape(warning));

        // Cross-fitting replaces a validation split: chosen where there is none to use. Calibration wherever rows are held out.
        bool crossFit = options.CrossFit ?? (options.Members >= 2 && validationData is null);
        if (crossFit && trainingData.Count < options.Members && options.CrossFit is null && _resumed is null)
        {
            // Fewer rows than members, with cross-fitting left to the trainer (a table typed by hand to try the tool): one member
            // a row, each holding its own row out; a single row trains one network on it.
            int rows = trainingData.Count;
            Note(false, rows >= 2
                ? $"{rows} rows: {rows} members, each holding out one row ({options.Members} members need {options.Members} rows or more)"
                : $"1 row: one network on it, none held out ({options.Members} members need {options.Members} rows or more)");
            options = options with { Members = rows };
            crossFit = rows >= 2;
        }
        if (crossFit && trainingData.Count < options.Members)
        {
            // A member without a fold would never validate, and the out-of-fold predictions would miss it.
            throw new OptionException(nameof(options.Members), $"at most {trainingData.Count}, one a row, to cross-fit {Plural.Of(trainingData.Count, "row")} (or {{CrossFit}} false)",
                Number(options.Members));
        }
        bool calibrate = options.Calibrate ?? (validationData is not null || crossFit);
        options = options with { CrossFit = crossFit, Calibrate = calibrate };
        TrainingTask<T> task = TrainingTask<T>.Create(options, preprocessor, trainingData, validationData, _resumed?.Model.TargetScaling);
        // Every automatic choice made: what the file records and a resumed run starts from.
        options = options with
        {
            Task = preprocessor.Task,
            Loss = task.Loss,
            Initialization = options.Initialization ?? (options.Parametrization == Parametrization.Ntk ? Initialization.Ntk : Initialization.PyTorch),
            Activation = options.Activation ?? TabularTrainingOptions.DefaultActivation(preprocessor.Task),
            // Smoothed labels make a network under-confident: only where temperature scaling sharpens it back.
            LabelSmoothing = options.LabelSmoothing ?? (task.Loss == LossKind.CrossEntropy && calibrate ? TabularTrainingOptions.DefaultLabelSmoothing : 0),
        };
        foreach (string unused in options.UnusedOptionWarnings()) Note(true, unused);

        var rng = new Rng(options.Seed);
        Sequential<T> network;
        if (_resumed is { } resumed)
        {
            network = resumed.Model.Network;
            if (resumed.Model.Output != task.Output || network.OutputFeatures != task.Outputs * resumed.Model.Members)
            {
                throw new OptionException(nameof(options.Loss), OptionPlaceholders.Escape($"the loss of '{resumed.Source}' ({resumed.Model.Output} outputs)"),
                    $"{OptionNames.Name(task.Loss)} ({task.Outputs} {task.Output} outputs)");
            }
        }
        else
        {
            options.CheckNetworkSize(trainingData.FeatureCount, task.Outputs);
            network = Mlp.Create<T>(trainingData.FeatureCount, options.HiddenLayers, task.Outputs, options.Activation!.Value, options.Initialization!.Value,
                options.Dropout, options.FeatureScale, options.ZeroOutputLayer, options.Members, options.Embedding);
            network.ResetParameters(rng);
        }
        if (!embedded && _resumed is null)
        {
            // What the options made of this table: the network, the optimizer, the epochs and which one is kept.
            // Bins asked for but given to no column (a warning said so) are not described as the network's.
            TabularTrainingOptions described = preprocessor.State.Features.Any(f => f.Bins > 0) ? options : options with { PiecewiseLinearBins = 0 };
            Note(false, OptionPlaceholders.Escape(described.Describe(network, (int)Math.Min(int.MaxValue, trainingRows))));
            if (streamed?.Ranks is { } shares)
            {
                Note(false, OptionPlaceholders.Escape(RankShares(streamed, shares, options.BatchSize)));
            }
            else if (Collective is { Size: > 1 } ranks)
            {
                int fewest = options.BatchSize / ranks.Size, most = (options.BatchSize + ranks.Size - 1) / ranks.Size;
                string share = fewest == most ? $"{Plural.Of(fewest, "row")} each" : $"{fewest} or {most} rows each";
                Note(false, $"data-parallel over {ranks.Size} ranks: each steps on its share of every batch of {options.BatchSize} ({share}), " +
                    "the gradients summed in rank order; rank 0 writes the model");
            }
        }
        LearningRateScale[] rates = options.Parametrization == Parametrization.Ntk ? NtkLearningRates.For(network) : [];
        Optimizer<T> NewOptimizer() => OptimizerFactory.Create<T>(options.Optimizer, learningRate, options.Momentum, options.Nesterov, options.WeightDecay,
            options.Beta2);
        Optimizer<T> optimizer = NewOptimizer();
        optimizer.LearningRateScales = rates;
        var model = new TabularModel<T>(network, preprocessor, task.Output, task.Output == OutputKind.Identity ? task.TargetScaling : null,
            members: options.Members);

        // Where a resumed run stood; a fresh run starts from nothing.
        int initialEpoch = InitialEpoch;
        TrainingStateEntry state = new(-1, null, null, null);
        List<EpochRecord> earlier = [];
        if (_resumed is { } from)
        {
            state = Continue(from, options, optimizer, rng);
            earlier = from.History;
        }

        int epochs = options.Epochs - initialEpoch;
        // An ensemble trains on the mean of its members' losses; validation and the metric score its averaged prediction.
        EnsembleLoss<T>? ensemble = options.Members == 1 ? null
            : new EnsembleLoss<T>(task.LossFunction, options.Members, task.Outputs, TabularModel<T>.AverageOf(task.Output), folded: options.CrossFit == true);
        ILoss<T> loss = ensemble ?? task.LossFunction;
        Dataset<T> train = task.Train;
        Dataset<T>? validation = task.Validation;
        int[]? folds = null;
        if (options.CrossFit == true)
        {
            // Each training row carries one column per member: 1 where the member trains on it, 0 in the member's own fold. The
            // same rows validate, each by the members that held it out.
            folds = RowSplit.Folds(train.Count, options.Members, preprocessor.Task == TaskKind.Classification ? trainingData.Labels() : null,
                new Rng(options.Seed ^ FoldSeedSalt));
            train = validation = WithMemberColumns(train, folds, options.Members);
        }
        var trainer = new Trainer<T>(network, loss, optimizer, new TrainerOptions(epochs, options.BatchSize, options.Shuffle, options.ClipNorm)
        {
            InitialEpoch = initialEpoch,
        })
        {
            Collective = Collective,
        };
        if (folds is not null)
        {
            // The validation loss and the metric read each row from the member that held it out: only that member predicts it.
            trainer.OutOfFold = (validation!.Features, RowSplit.RowsByFold(folds, options.Members));
        }
        if (!ReferenceEquals(task.ValidationLossFunction, task.LossFunction))
        {
            trainer.ValidationLoss = ensemble is null ? task.ValidationLossFunction
                : new EnsembleLoss<T>(task.ValidationLossFunction, options.Members, task.Outputs, TabularModel<T>.AverageOf(task.Output), folded: options.CrossFit == true);
        }
        if (validation is not null)
        {
            // The main metric per epoch, for progress displays, plots and the history.
            trainer.Metric = ensemble is null || task.Metric is not { } metric ? task.Metric
                : metric with
                {
                    Compute = (outputs, targets) =>
                    {
                        (Matrix<T> combined, Matrix<T> plain) = ensemble.EvaluateReusing(outputs, targets);
                        return metric.Compute(combined, plain);
                    },
                };
        }
        // A constant rate is the optimizer's own (it was created with the run's rate): nothing to schedule.
        LearningRateScheduler<T>? scheduler = options.Schedule is ConstantSchedule
            ? null
            : new LearningRateScheduler<T>(options.Schedule, learningRate, options.Epochs, state.Scheduler);
        if (scheduler is not null)
        {
            trainer.Callbacks.Add(scheduler);
        }
        // Early stopping decides when to stop; the recorder below keeps the best epoch's whole state, so the callback does not
        // need a copy of the weights of its own.
        // The patience counts steps too: the same on every rank of a data-parallel run, which sees every row or counts them all.
        EarlyStopping<T>? stopping = options.PatienceEpochs(trainingRows) is int patience
            ? new EarlyStopping<T>(patience, options.MinDelta, restoreBestWeights: false, initialState: state.EarlyStopping)
            : null;
        if (stopping is not null)
        {
            trainer.Callbacks.Add(stopping);
        }
        // Before the recorder, so that a checkpoint written at the end of an epoch has that epoch in its history.
        List<EpochRecord> history = [];
        trainer.Callbacks.Add(new HistoryRecorder(history));
        List<EpochRecord> WholeHistory() => [.. earlier, .. history];
        string? save = Collective is { Rank: > 0 } ? null : options.SavePath;
        string? best = save is not null && options.CheckpointEvery is not null ? TabularTrainingOptions.BestPathOf(save) : null;
        // Snapshots of the best epoch, for early stopping and for a file written on Ctrl+C; a run with neither (the notebook)
        // keeps none and takes the state it ends with.
        bool keepBest = stopping is not null || options.RestoreBest;
        RunRecorder<T>? recorder = !keepBest && save is null ? null
            : new RunRecorder<T>(network, optimizer, NewOptimizer, rng, scheduler, stopping, options.MinDelta, initialEpoch, (state.BestEpoch, state.BestLoss))
            {
                CheckpointEvery = best is null ? null : options.CheckpointEvery,
                OnImproved = best is null ? null : snapshot => TrainingFile.Save(best, model, options, WholeHistory(), snapshot.State.BestEpoch, snapshot),
                OnCheckpoint = snapshot => TrainingFile.Save(save!, model, options, WholeHistory(), null, snapshot),
            };
        if (recorder is not null)
        {
            trainer.Callbacks.Add(recorder);
        }
        foreach (ITrainingCallback<T> callback in Callbacks) trainer.Callbacks.Add(callback);

        using StreamedBatches<T>? batches = streamed is null ? null
            : new StreamedBatches<T>(streamed, preprocessor, task, network.InputFeatures, loss.TargetColumns(network.OutputFeatures),
                preprocessor.ReadOptions(options.Delimiter) with { Decimal = options.Decimal }, options.StreamMemory!.Value, options.BatchSize);
        if (batches is not null)
        {
            Note(false, string.Create(CultureInfo.InvariantCulture,
                $"streamed: every epoch reads the data again, in a shuffle buffer of {batches.BufferRows:N0} rows " +
                $"({TabularTrainingOptions.MemoryText(4L * batches.BufferRows * (batches.FeatureCount + batches.TargetColumns + (batches.Weighted ? 1 : 0)))} of float32, " +
                $"within {{StreamMemory}} {TabularTrainingOptions.MemoryText(options.StreamMemory!.Value)})"));
        }
        try
        {
            if (batches is not null)
            {
                trainer.Fit(batches, rng, validation, cancellationToken);
                // A rank's warnings count its own rows: of a data-parallel run, every rank's are summed.
                IReadOnlyList<string> streamedWarnings = streamed!.Ranks is not null && Collective is { } ranks ? batches.WarningsOfEveryRank(ranks) : batches.Warnings;
                foreach (string warning in streamedWarnings) Note(true, OptionPlaceholders.Escape(warning));
            }
            else
            {
                trainer.Fit(train, rng, validation, task.SampleWeights, cancellationToken);
            }
        }
        catch (OperationCanceledException e) when (e is not TrainingCanceledException)
        {
            // The current batch finished. Keep the best model so far, as a file that resumes from its epoch; nothing is written
            // when no epoch completed (a previous file at the save path stays as it was).
            if (recorder is not null && save is not null && history.Count > 0)
            {
                recorder.Best.Parameters.CopyTo(network.Parameters, 0);
                TrainingFile.Save(save, model, options, WholeHistory(), keepBest ? recorder.BestEpoch : null, recorder.Best);
                throw new TrainingCanceledException($"Training was canceled; saved the best model so far (epoch {recorder.Best.EpochsCompleted - 1}) to {save}.",
                    save, recorder.Best.EpochsCompleted - 1, history, cancellationToken);
            }
            throw new TrainingCanceledException(history.Count > 0 ? "Training was canceled." : "Training was canceled before an epoch completed; nothing was saved.",
                null, null, history, cancellationToken);
        }

        // The run's base rate, the one to lower: a schedule may have brought the optimizer's own to 0 by the end.
        WarnIfDiverged(history, task, learningRate);

        // With early stopping the model is the best epoch's, whole (weights and the state that resumes from it); otherwise the last.
        RunSnapshot<T> final;
        if (recorder is not null)
        {
            final = keepBest ? recorder.Best : recorder.Current(initialEpoch + history.Count);
        }
        else
        {
            (int bestEpoch, double? bestLoss) = BestEpochRule.After(state.BestEpoch, state.BestLoss, history, options.MinDelta);
            final = new RunSnapshot<T>(network, NewOptimizer());
            final.Capture(network, optimizer, rng, initialEpoch + history.Count, new TrainingStateEntry(bestEpoch, bestLoss, null, scheduler?.State));
        }
        final.Parameters.CopyTo(network.Parameters, 0);
        (int Epoch, double? Loss)? kept = keepBest && recorder is not null ? (recorder.BestEpoch, recorder.BestLoss) : null;
        if (kept is { } k && k.Epoch >= 0 && options.RestoreBest && stopping is null && !embedded && history.Count > 0)
        {
            // Which epoch the model is, and why: the run trained them all.
            string monitored = options.CrossFit == true ? "out-of-fold loss" : validationData is null ? "training loss" : "validation loss";
            Note(false, string.Create(CultureInfo.InvariantCulture,
                $"kept epoch {k.Epoch} of {initialEpoch + history.Count}: its {monitored} ({k.Loss:G4}) is the run's lowest"));
        }
        if (options.Calibrate == true)
        {
            model = Calibrated(model, folds is null ? validationData! : trainingData, folds, embedded);
        }
        var result = new TabularTrainingResult<T>(model, options, history, WholeHistory(), initialEpoch, final, stopping, trainingData, validationData, kept, folds);
        if (save is not null)
        {
            result.Save(save);
        }
        return result;
    }

    // Puts the saved optimizer and generator state back into the run, unless a changed option asks for a fresh one, and returns
    // the bookkeeping the run continues from.
    private TrainingStateEntry Continue(SavedTraining<T> saved, TabularTrainingOptions options, Optimizer<T> optimizer, Rng rng)
    {
        TabularTrainingOptions before = saved.Options;
        bool sameState = options.Optimizer != OptimizerKind.Sgd || (before.Momentum > 0) == (options.Momentum > 0);
        if (sameState)
        {
            ResumeState.RestoreOptimizer(saved.File, optimizer, saved.Source);
        }
        else
        {
            // SGD with momentum keeps a buffer per parameter, without it none: the step count carries on, the buffer starts afresh.
            Optimizer<T> previous = OptimizerFactory.Create<T>(before.Optimizer, before.EffectiveLearningRate, before.Momentum);
            ResumeState.RestoreOptimizer(saved.File, previous, saved.Source);
            optimizer.StepCount = previous.StepCount;
            Note(false, $"momentum {TabularTrainingOptions.Number(options.Momentum)} instead of {TabularTrainingOptions.Number(before.Momentum)}: the momentum buffer starts from zero");
        }
        if (options.Seed == before.Seed)
        {
            ResumeState.RestoreRng(saved.File, rng, saved.Source);
        }
        else
        {
            Note(false, $"seed {options.Seed} instead of {before.Seed}: a new split and a new generator from epoch {saved.EpochsCompleted} on");
        }
        TrainingStateEntry state = saved.State;
        bool sameMonitor = options.ValidationFraction == before.ValidationFraction && options.ValidationData == before.ValidationData && options.CrossFit == before.CrossFit
            && options.Data == before.Data && options.Dataset == before.Dataset && options.Seed == before.Seed;
        if (!sameMonitor)
        {
            // Another validation set: its losses do not compare with the saved best one, so the best epoch is looked for afresh.
            state = state with { BestEpoch = -1, BestLoss = null, EarlyStopping = null };
        }
        if (options.Schedule != before.Schedule)
        {
            state = state with { Scheduler = null };
        }
        Note(false, saved.EpochsCompleted < options.Epochs
            ? $"resuming '{OptionPlaceholders.Escape(saved.Source)}' after {Plural.Of(saved.EpochsCompleted, "epoch")}: epochs {saved.EpochsCompleted} to {options.Epochs - 1}"
            : $"'{OptionPlaceholders.Escape(saved.Source)}' has trained all {Plural.Of(options.Epochs, "epoch")} of its run: nothing to train (a longer run needs a larger {{Epochs}})");
        return state;
    }

    // The model calibrated on the held-out rows (the validation rows; the training rows out of fold when folds are given): a
    // classifier's temperature, and every model's nonconformity scores for conformal prediction, one fold per member when
    // cross-fitting (each row scored by the member that held it out).
    private TabularModel<T> Calibrated(TabularModel<T> model, Dataset<T> heldOut, int[]? folds, bool embedded)
    {
        double[] scores;
        double temperature = 1;
        if (model.Output == OutputKind.Identity)
        {
            double[] values = folds is null ? model.PredictValues(heldOut.Features) : model.PredictOutOfFoldValues(heldOut.Features, folds);
            double[] targets = heldOut.TargetValues();
            scores = new double[values.Length];
            for (int i = 0; i < scores.Length; i++) scores[i] = Math.Abs(values[i] - targets[i]);
        }
        else
        {
            int[] labels = heldOut.Labels();
            Matrix<T> logits = model.PredictOutputs(heldOut.Features, folds);
            temperature = TemperatureScaling.Fit(logits, labels, model.Output);
            TabularModel<T> scaled = model.Calibrated(temperature, null);
            Matrix<T> probabilities = folds is null ? scaled.PredictProbabilities(heldOut.Features) : scaled.PredictOutOfFoldProbabilities(heldOut.Features, folds);
            scores = new double[labels.Length];
            for (int i = 0; i < scores.Length; i++) scores[i] = Math.Max(0, 1 - double.CreateChecked(probabilities[i, labels[i]]));
            if (!embedded)
            {
                string rows = folds is null ? Plural.Of(heldOut.Count, "validation row") : $"{Plural.Of(heldOut.Count, "row")} out of fold";
                Note(false, string.Create(CultureInfo.InvariantCulture,
                    $"calibrated on {rows}: temperature {temperature:G3}, log loss {TemperatureScaling.LogLoss(logits, labels, model.Output, 1):G4} → {TemperatureScaling.LogLoss(logits, labels, model.Output, temperature):G4}"));
            }
        }
        ConformalScores conformal = new(folds is null ? [scores] : ScoresByFold(scores, folds, model.Members));
        return model.Calibrated(temperature, conformal);
    }

    // Each member's fold of the scores, in row order. Loops here and in the two above, not LINQ over doubles and ints: every
    // run calibrates once, and LINQ over value types is the framework's generic code, which ReadyToRun cannot hold, compiled at
    // first use (docs/performance.md, "Start-up").
    private static double[][] ScoresByFold(double[] scores, int[] folds, int members)
    {
        int[][] rows = RowSplit.RowsByFold(folds, members);
        var byFold = new double[members][];
        for (int k = 0; k < members; k++)
        {
            byFold[k] = new double[rows[k].Length];
            for (int i = 0; i < rows[k].Length; i++) byFold[k][i] = scores[rows[k][i]];
        }
        return byFold;
    }

    // The inputs the bins of these columns add (a sum over the columns, as a loop for the reason above).
    private static long BinInputs(IReadOnlyList<FeatureColumnState> features)
    {
        long inputs = 0;
        for (int i = 0; i < features.Count; i++) inputs += features[i].Bins;
        return inputs;
    }

    // The data with one more target column per member: 1 where the member trains on the row, 0 in its own fold (folds[row] = member).
    private static Dataset<T> WithMemberColumns(Dataset<T> data, int[] folds, int members)
    {
        int columns = data.Targets.Columns;
        var targets = new Matrix<T>(data.Count, columns + members);
        for (int r = 0; r < data.Count; r++)
        {
            data.Targets.Row(r).CopyTo(targets.Row(r));
            for (int m = 0; m < members; m++) targets[r, columns + m] = folds[r] == m ? T.Zero : T.One;
        }
        return new Dataset<T>(data.Features, targets, data.FeatureNames, data.ClassNames);
    }

    // A run whose loss ends far above what a constant prediction gives diverged, even if it never overflowed (Adam at a rate
    // of 1e6 ends finite, at 1e5 to 1e12): its model is kept, as it is finite, but not without a word.
    private void WarnIfDiverged(List<EpochRecord> history, TrainingTask<T> task, double learningRate)
    {
        if (history.Count == 0 || !(history[^1].Loss > 10 * task.ConstantLoss))
        {
            return;
        }
        EpochRecord last = history[^1];
        Note(true, string.Create(CultureInfo.InvariantCulture,
            $"the training loss ended at {last.Loss:G3} (epoch {last.Epoch}), {last.Loss / task.ConstantLoss:G2} times the {task.ConstantLoss:G3} of a constant prediction " +
            $"({task.ConstantPrediction}): the run diverged without overflowing; try a lower learning rate ({{LearningRate}}, now {learningRate:G3})"));
    }

    // A resumed model reads its data as it was read in training (its text columns as text); a fresh run its categorical ones.
    private static CsvReadOptions ReadOptionsOf(TabularTrainingOptions options, TabularPreprocessor? fitted) =>
        (fitted?.ReadOptions(options.Delimiter) ?? new CsvReadOptions(options.Delimiter, options.Categorical)) with { Decimal = options.Decimal };

    // Data whose files take more than an eighth of the memory available is streamed unless asked not to be: read whole, a run
    // holds the table (8 bytes a cell), the inputs made of it (one-hot columns widen them) and their split, measured at 5.8
    // times a 1 GB CSV file's size (docs/data.md).
    private bool ChoosesStreaming(string path)
    {
        IReadOnlyList<string> files = Shards.FilesOf(path);
        if (Collective is { Size: > 1 } ranks && files.Count >= ranks.Size && Options.CrossFit != true)
        {
            // Shards enough for every rank: each reads and streams its own, so that the data may be larger than one machine holds.
            Note(false, $"streaming {OptionPlaceholders.Escape(path)}: each of the {ranks.Size} ranks reads its own shards ({{Stream}} false for every rank to read them all)");
            return true;
        }
        long bytes = 0, available = MemoryBudget.Available();
        foreach (string file in files) bytes += new FileInfo(file).Length;
        if (bytes <= available / 8)
        {
            return false;
        }
        Note(false, $"streaming {OptionPlaceholders.Escape(path)}: its {MemoryBudget.Size(bytes)} are more than an eighth of the {MemoryBudget.Size(available)} " +
            "of memory available ({Stream} false to read it whole)");
        return true;
    }

    // The options of a streamed run, with what streaming decides: the validation rows are held out by a key of their position
    // (cross-fitting would predict every row each epoch), so a default run without validation holds out a tenth.
    private TabularTrainingOptions Streaming(TabularTrainingOptions options)
    {
        if (options.CrossFit == true)
        {
            // Asked for, with data streamed by the run's own choice (an explicit --stream refuses it when the options are validated).
            throw new OptionException(nameof(options.CrossFit), "off for data streamed because it does not fit in memory (it predicts every row each epoch)", "on");
        }
        options = options with
        {
            Stream = true,
            StreamMemory = options.StreamMemory ?? Math.Min(TabularTrainingOptions.DefaultStreamMemory, Math.Max(MemoryBudget.Available() / 4, 1_000_000)),
        };
        if (options.CrossFit is null && options.ValidationFraction == 0 && options.ValidationData is null && options.Members >= 2)
        {
            Note(false, $"streamed: {Number(StreamedValidationFraction * 100)}% of the rows held out to choose the epoch and calibrate " +
                "(cross-fitting needs every row in memory; {ValidationFraction} to choose another share)");
            options = options with { ValidationFraction = StreamedValidationFraction, CrossFit = false };
        }
        return options;
    }

    private static Table ReadTable(TabularTrainingOptions options, TabularPreprocessor? fitted)
    {
        CsvReadOptions read = ReadOptionsOf(options, fitted);
        if (options.Data is { } path)
        {
            // The table is not all a run holds: the inputs it becomes (sizeof(T) a value, more for one-hot columns) come after
            // it, so it may take only a share of the memory (3/5 in float32, under half in float64), to be refused while reading.
            long share = (long)(MemoryBudget.Available() * 0.9 * 8 / (8 + Unsafe.SizeOf<T>()));
            return Table.Read(path, read with { MaxMemory = Math.Max(share, 1) });
        }
        if (options.Dataset is { } name)
        {
            return EmbeddedDatasets.ReadTable(name, read);
        }
        // Only a run on a table built in memory gets here: its file names no data, so the table must be given again.
        throw new OptionException(nameof(options.Data), "a CSV file or an embedded {Dataset} to train on", "none");
    }

    private static string Number(double value) => TabularTrainingOptions.Number(value);

    // text is a template: options written {Name}, other braces doubled (OptionPlaceholders.Escape).
    private void Note(bool warning, string text) => Notes?.Invoke(new TrainingNote(warning, text));

    // "read 178 rows × 14 columns of wine.csv (delimiter ','): 13 inputs from 13 numeric columns; target 'cultivar', 3 classes";
    // "(delimiter ';', decimal ',')" for numbers with decimal commas, "(Parquet)", "(4 shards: Parquet)".
    private static string Summary(Table table, TabularPreprocessor preprocessor) =>
        $"read {Plural.Of(table.RowCount, "row")} × {Plural.Of(table.Columns.Count, "column")} of {table.Source} ({table.Format}): {InputsOf(preprocessor)}";

    // "13 inputs from 13 numeric columns; target 'cultivar', 3 classes".
    private static string InputsOf(TabularPreprocessor preprocessor)
    {
        // Counted by kind in the enum's order, without LINQ's GroupBy and OrderBy over it (compiled afresh in every run).
        var counts = new int[(int)FeatureKind.Date + 1];
        foreach (FeatureColumnState feature in preprocessor.State.Features) counts[(int)feature.Kind]++;
        var parts = new List<string>(counts.Length);
        for (int kind = 0; kind < counts.Length; kind++)
        {
            if (counts[kind] > 0) parts.Add($"{counts[kind]} {((FeatureKind)kind).ToString().ToLowerInvariant()}");
        }
        string kinds = string.Join(", ", parts);
        string target = preprocessor.Task == TaskKind.Regression ? "regression" : $"{preprocessor.ClassNames!.Count} classes";
        string columns = preprocessor.State.Features.Length == 1 ? "column" : "columns";
        return $"{Plural.Of(preprocessor.FeatureCount, "input")} from {kinds} {columns}; target '{preprocessor.State.Target.Name}', {target}";
    }

    // "streamed 8,523,747 rows × 17 columns of train.csv (1 GB; delimiter ','; first pass 18.2 s, 55 MB/s): 7,671,335 to train,
    // 852,412 held out to validate (a uniform sample of 126,984 of them kept); preprocessing fitted on a uniform sample of 239,734
    // training rows: …".
    private static string StreamSummary(StreamedTable streamed, TabularPreprocessor preprocessor, int validationSample)
    {
        string validation = streamed.ValidationRows == 0 ? ""
            : validationSample < streamed.ValidationRows
                ? string.Create(CultureInfo.InvariantCulture, $", {streamed.ValidationRows:N0} held out to validate (a uniform sample of {validationSample:N0} of them kept)")
                : string.Create(CultureInfo.InvariantCulture, $", {streamed.ValidationRows:N0} held out to validate");
        return string.Create(CultureInfo.InvariantCulture,
            $"streamed {streamed.Rows:N0} rows × {Plural.Of(streamed.Columns, "column")} of {streamed.Source} ({MemoryBudget.Size(streamed.Bytes)}; {streamed.Format}; " +
            $"first pass {streamed.Seconds:0.#} s, {streamed.Bytes / 1e6 / Math.Max(streamed.Seconds, 1e-3):0} MB/s): " +
            $"{streamed.TrainingRows:N0} to train{validation}; preprocessing fitted on a uniform sample of {streamed.SampleRows:N0} training rows: {InputsOf(preprocessor)}");
    }

    // "data-parallel over 2 ranks, each streaming its own shards (1 and 3 files; 5,000 and 6,000 training rows): each steps on its
    // rows' share of every batch of 32, the gradients summed in rank order; rank 0 writes the model"; of more than 4 ranks the
    // ranges, "(1–2 files and 4,980–5,020 training rows a rank)".
    private static string RankShares(StreamedTable streamed, (long TrainingRows, int Files)[] shares, int batchSize)
    {
        static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
        static string List(IEnumerable<long> values)
        {
            string[] items = [.. values.Select(N)];
            return items.Length <= 2 ? string.Join(" and ", items) : string.Join(", ", items[..^1]) + " and " + items[^1];
        }
        static string Range(IEnumerable<long> values) => values.Min() == values.Max() ? N(values.Min()) : $"{N(values.Min())}–{N(values.Max())}";
        IEnumerable<long> files = shares.Select(s => (long)s.Files), rows = shares.Select(s => s.TrainingRows);
        string counts = shares.Length > 4 ? $"{Range(rows)} training rows a rank" : $"{List(rows)} training rows";
        string what = streamed.Share.ByChunk
            ? $"every {Ordinal(shares.Length)} chunk of the data (fewer files than ranks: each reads them all); {counts}"
            : shares.Length > 4 ? $"its own shards ({Range(files)} files and {counts})"
            : $"its own shards ({List(files)} files; {counts})";
        return $"data-parallel over {shares.Length} ranks, each streaming {what}: each steps on its rows' share of every batch of {batchSize}, " +
            "the gradients summed in rank order; rank 0 writes the model";
    }

    private static string Ordinal(int n) => n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    // The run's own epochs, also when it ends by an exception (cancellation).
    private sealed class HistoryRecorder(List<EpochRecord> records) : ITrainingCallback<T>
    {
        public void OnEpochEnd(TrainingContext<T> context, EpochRecord record) => records.Add(record);
    }
}
