using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Backprop.Data;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Layers;

namespace Backprop.Training;

/// <summary>The training loop: epochs of shuffled mini-batches; forward, loss, backward, step.</summary>
/// <remarks>
/// Independent of where data comes from: it takes a <see cref="Dataset{T}"/>. Buffers (batch, activations) are allocated once
/// per <c>Fit</c>, so the steps themselves allocate nothing.
/// </remarks>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a trainer for <paramref name="model"/>.</summary>
    public Trainer(Sequential<T> model, ILoss<T> loss, Optimizer<T> optimizer, TrainerOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Options = options ?? new TrainerOptions();
        Options.Validate();
    }

    /// <summary>The model being trained.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The loss minimized.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The optimizer stepping the parameters.</summary>
    public Optimizer<T> Optimizer { get; }

    /// <summary>Epochs, batch size, shuffling.</summary>
    public TrainerOptions Options { get; }

    /// <summary>Called at the start, before and after every epoch, after every batch, and at the end, in order.</summary>
    public List<ITrainingCallback<T>> Callbacks { get; } = [];

    /// <summary>The main metric recorded after each epoch on the training and validation sets (for example accuracy); null for none.</summary>
    /// <remarks>On the training set it costs one extra forward pass over the data per epoch.</remarks>
    public EpochMetric<T>? Metric { get; set; }

    /// <summary>The loss the validation rows are scored with; <see langword="null"/> (default) for <see cref="Loss"/>.</summary>
    /// <remarks>For example the cross-entropy without the label smoothing the training loss has: the validation loss is then the predictions' log loss.</remarks>
    public ILoss<T>? ValidationLoss { get; set; }

    /// <summary>
    /// A cross-fitted ensemble's held-out rows, or <see langword="null"/> (the default): when the evaluation after an epoch predicts
    /// <c>Inputs</c>, member <c>m</c> predicts only the rows <c>RowsOfMember[m]</c> lists, into its own output columns
    /// (<see cref="Sequential{T}.PredictMembersInto"/>), and the other members' columns of those rows hold stale values. Only for
    /// a validation loss and metric that read each row from the member that held it out (<see cref="EnsembleLoss{T}.Folded"/>):
    /// they then get the same values for a fifth of the products (five members).
    /// </summary>
    internal (Matrix<T> Inputs, int[][] RowsOfMember)? OutOfFold { get; set; }

    /// <summary>
    /// The ranks of a data-parallel run, or <see langword="null"/> (the default) for one process. Every rank must hold the same
    /// model and generator state. Trained on a <see cref="Dataset{T}"/>, every rank holds the same data and steps on its
    /// contiguous share of every batch (rank <c>r</c> of <c>N</c> takes rows <c>[r·B/N, (r+1)·B/N)</c>); trained on an
    /// <see cref="IBatchSource{T}"/>, each rank's source holds rows of its own, and each steps on its rows' share of every
    /// batch. Either way the gradients of the batch's mean loss are summed in rank order, and every rank takes the same step.
    /// Dropout draws from a generator of the rank's own (the shared one keeps the shuffles in step).
    /// </summary>
    public ICollective? Collective { get; set; }

    /// <summary>Trains on <paramref name="data"/>, drawing shuffles from <paramref name="rng"/>.</summary>
    /// <returns>One record per completed epoch.</returns>
    /// <exception cref="ArgumentException">The data does not fit the model or the loss.</exception>
    public IReadOnlyList<EpochRecord> Fit(Dataset<T> data, Rng rng, CancellationToken cancellationToken = default) =>
        Fit(data, rng, validation: null, sampleWeights: null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="data"/>, weighting each sample's loss by <paramref name="sampleWeights"/>, and after every epoch
    /// measures the loss (and <see cref="Metric"/>) on <paramref name="validation"/>.
    /// </summary>
    /// <param name="data">Training samples.</param>
    /// <param name="rng">The run's generator (shuffles, dropout).</param>
    /// <param name="validation">Held-out samples, evaluated in inference mode after every epoch; null for none.</param>
    /// <param name="sampleWeights">One weight ≥ 0 per training sample (the loss's weighted mean); null for uniform weights.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>One record per completed epoch.</returns>
    /// <exception cref="ArgumentException">The data does not fit the model or the loss.</exception>
    public IReadOnlyList<EpochRecord> Fit(Dataset<T> data, Rng rng, Dataset<T>? validation, T[]? sampleWeights = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        CheckShape(data, nameof(data));
        if (validation is not null)
        {
            CheckShape(validation, nameof(validation));
        }
        if (sampleWeights is not null && sampleWeights.Length != data.Count)
        {
            throw new ArgumentException($"Expected one sample weight per sample ({data.Count}). Received: {sampleWeights.Length}.", nameof(sampleWeights));
        }
        int features = Model.InputFeatures, targetColumns = data.Targets.Columns;
        int n = data.Count, batchSize = Math.Min(Options.BatchSize, Math.Max(n, 1));
        int batches = (n + batchSize - 1) / batchSize;
        // Every shape is checked here, once per run: the steps below call the layers and the optimizer without checks.
        Workspace<T> workspace = Model.CreateWorkspace(batchSize);
        Optimizer.Prepare(Model.ParameterCount);
        var inputs = new T[batchSize * features];
        var targets = new T[batchSize * targetColumns];
        var weights = sampleWeights is null ? [] : new T[batchSize];
        // A loop, not Enumerable.Range(…).ToArray(): that is LINQ's generic code over int, compiled at first use in every run
        // (docs/performance.md, "Start-up").
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        _parallel = Collective is { Size: > 1 } collective ? new DataParallelBuffers(collective, Model.ParameterCount, rng) : null;
        _cancellation = cancellationToken;
        if (_parallel is not null)
        {
            CheckRanksAgree(_parallel.Collective, data, rng);
        }
        return Run(batches, data, validation, context =>
        {
            if (Options.Shuffle)
            {
                // A fresh permutation of 0..n−1 each epoch, as np.random.permutation: the order depends on the generator's
                // state alone, so a run resumed from a saved state shuffles exactly as the uninterrupted run would have.
                for (int i = 0; i < n; i++) order[i] = i;
                rng.Shuffle<int>(order);
            }
            return TrainEpoch(data, sampleWeights, order, workspace, inputs, targets, weights, rng, context, cancellationToken);
        });
    }

    /// <summary>
    /// Trains on the rows <paramref name="source"/> delivers each epoch (for example streamed from a file larger than memory, in
    /// the order of a shuffle buffer), and after every epoch measures the loss (and <see cref="Metric"/>) on
    /// <paramref name="validation"/>. No metric is computed on the training rows (that would take another pass over them).
    /// </summary>
    /// <param name="source">The training rows, epoch after epoch; its row count sets the batches of an epoch for progress displays.</param>
    /// <param name="rng">The run's generator (the source's shuffles, dropout).</param>
    /// <param name="validation">Held-out samples, evaluated in inference mode after every epoch; null for none.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <returns>One record per completed epoch.</returns>
    /// <remarks>
    /// In a data-parallel run (<see cref="Collective"/>) each rank's source holds rows of its own (its shards), not the same
    /// rows: an epoch is <c>S = ⌈(n₀ + … + n₋₁) / B⌉</c> steps on every rank, rank <c>r</c> steps on
    /// <c>⌊(s+1)·nᵣ/S⌋ − ⌊s·nᵣ/S⌋</c> of its <c>nᵣ</c> rows at step <c>s</c> (the global batch of about <c>B</c> rows drawn
    /// from the ranks in proportion to their rows, every row once an epoch), and the gradients are summed in rank order as
    /// for a shared data set. Each rank's source draws its order from a generator of the rank's own, seeded each epoch by one
    /// draw of the shared generator, which stays in step on every rank; the validation data must be the same on every rank.
    /// </remarks>
    /// <exception cref="ArgumentException">The source or the validation data does not fit the model or the loss.</exception>
    /// <exception cref="RankFailedException">In a data-parallel run, a source delivered other rows than it counted (its files changed).</exception>
    public IReadOnlyList<EpochRecord> Fit(IBatchSource<T> source, Rng rng, Dataset<T>? validation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(rng);
        int features = Model.InputFeatures, targetColumns = Loss.TargetColumns(Model.OutputFeatures);
        if (source.FeatureCount != features || source.TargetColumns != targetColumns)
        {
            throw new ArgumentException($"Expected {features} features and {targetColumns} target columns per sample. " +
                $"Received: {source.FeatureCount} and {source.TargetColumns}.", nameof(source));
        }
        if (validation is not null)
        {
            CheckShape(validation, nameof(validation));
        }
        if (Collective is { Size: > 1 } collective)
        {
            return FitShares(source, collective, rng, validation, cancellationToken);
        }
        int batchSize = (int)Math.Min(Options.BatchSize, Math.Max(source.Count, 1));
        int batches = (int)Math.Min(int.MaxValue, (source.Count + batchSize - 1) / batchSize);
        Workspace<T> workspace = Model.CreateWorkspace(batchSize);
        Optimizer.Prepare(Model.ParameterCount);
        var inputs = new T[batchSize * features];
        var targets = new T[batchSize * targetColumns];
        var weights = source.Weighted ? new T[batchSize] : [];
        _parallel = null;
        _cancellation = cancellationToken;
        return Run(batches, null, validation, context =>
        {
            source.BeginEpoch(context.Epoch, Options.Shuffle ? rng : null, cancellationToken);
            try
            {
                return TrainEpoch(source, workspace, inputs, targets, weights, rng, context, cancellationToken);
            }
            finally
            {
                source.EndEpoch();
            }
        });
    }

    // Fit(IBatchSource) on the ranks of a data-parallel run, each source holding the rank's own rows (see its remarks).
    private IReadOnlyList<EpochRecord> FitShares(IBatchSource<T> source, ICollective collective, Rng rng, Dataset<T>? validation,
        CancellationToken cancellationToken)
    {
        var counts = new double[collective.Size];
        collective.AllGather([source.Count], counts);
        long rows = source.Count, total = (long)counts.Sum();
        long steps = Math.Max(1, (total + Options.BatchSize - 1) / Options.BatchSize);
        int batches = (int)Math.Min(int.MaxValue, steps);
        int most = (int)Math.Max(1, (rows + steps - 1) / steps);
        int features = Model.InputFeatures, targetColumns = source.TargetColumns;
        Workspace<T> workspace = Model.CreateWorkspace(most);
        Optimizer.Prepare(Model.ParameterCount);
        var inputs = new T[most * features];
        var targets = new T[most * targetColumns];
        var weights = source.Weighted ? new T[most] : [];
        DataParallelBuffers parallel = _parallel = new DataParallelBuffers(collective, Model.ParameterCount, rng);
        _cancellation = cancellationToken;
        CheckRanksAgree(collective, validation, rng, sharedData: false);
        return Run(batches, null, validation, context =>
        {
            // One draw of the shared generator an epoch, the same on every rank: the rank's own order and dropout masks from it,
            // so that a run resumed at an epoch (from the shared generator's saved state) goes on as the run in one go.
            ulong draw = rng.NextUInt64(), rankSalt = 0x9E3779B97F4A7C15UL * (ulong)(collective.Rank + 1);
            Rng? order = Options.Shuffle ? new Rng(draw ^ rankSalt) : null;
            parallel.Dropout.SetState(new Rng(draw ^ rankSalt ^ DropoutSalt).GetState());
            try
            {
                // Not canceled through the token: the ranks agree on the step to stop at inside it.
                source.BeginEpoch(context.Epoch, order, CancellationToken.None);
                return TrainShares(source, rows, steps, workspace, inputs, targets, weights, context);
            }
            catch (BackpropException e) when (e is not RankFailedException)
            {
                throw new RankFailedException(collective.Rank, e.Message, e);
            }
            finally
            {
                source.EndEpoch();
            }
        });
    }

    // One epoch of a rank's own rows (FitShares): at step s, rows [⌊s·n/S⌋, ⌊(s+1)·n/S⌋) of its n.
    private (double LossSum, double WeightSum) TrainShares(IBatchSource<T> source, long rows, long steps, Workspace<T> workspace,
        T[] inputs, T[] targets, T[] weights, TrainingContext<T> context)
    {
        DataParallelBuffers parallel = _parallel!;
        int features = Model.InputFeatures, targetColumns = source.TargetColumns;
        double lossSum = 0, weightSum = 0;
        for (long step = 0; step < steps; step++)
        {
            int want = (int)((Int128)(step + 1) * rows / steps - (Int128)step * rows / steps);
            int got = want == 0 ? 0 : source.Next(inputs, targets, weights, want);
            if (got != want)
            {
                throw new RankFailedException(parallel.Collective.Rank, $"Expected {rows:N0} rows an epoch on rank {parallel.Collective.Rank}, as its first pass " +
                    $"counted. Received: fewer in epoch {context.Epoch}; did its data files change during the run?");
            }
            double loss = ParallelStep(parallel, workspace, inputs.AsSpan(0, got * features), targets.AsSpan(0, got * targetColumns),
                weights.Length == 0 ? [] : weights.AsSpan(0, got), got, ownRows: true);
            int batch = (int)Math.Min(step, int.MaxValue - 1);
            if (!double.IsFinite(loss))
            {
                Diverged(context, context.Epoch, batch, context.BatchesPerEpoch, $"the loss became {Describe(loss)}");
            }
            lossSum += loss * parallel.StepWeight;
            weightSum += parallel.StepWeight;
            OnBatchEnd(context, batch, loss);
        }
        if (source.Next(inputs, targets, weights, 1) != 0)
        {
            throw new RankFailedException(parallel.Collective.Rank, $"Expected {rows:N0} rows an epoch on rank {parallel.Collective.Rank}, as its first pass " +
                $"counted. Received: more in epoch {context.Epoch}; did its data files change during the run?");
        }
        return (lossSum, weightSum);
    }

    // The epochs of a run: callbacks around each, the weights checked, the metric and validation measured, the record kept.
    // data: the training rows to measure the metric on (null: not measured).
    private IReadOnlyList<EpochRecord> Run(int batches, Dataset<T>? data, Dataset<T>? validation,
        Func<TrainingContext<T>, (double LossSum, double WeightSum)> trainEpoch)
    {
        try
        {
            return RunEpochs(batches, data, validation, trainEpoch);
        }
        finally
        {
            // The evaluation's buffers are a run's: a trainer kept after Fit does not hold outputs the size of its data.
            _evaluationWorkspace = null;
            _evaluationOutputs.Clear();
        }
    }

    private IReadOnlyList<EpochRecord> RunEpochs(int batches, Dataset<T>? data, Dataset<T>? validation,
        Func<TrainingContext<T>, (double LossSum, double WeightSum)> trainEpoch)
    {
        var context = new TrainingContext<T>(Model, Optimizer, Options, batches) { Validation = validation, Metric = Metric };
        foreach (ITrainingCallback<T> callback in Callbacks) callback.OnTrainBegin(context);
        for (int epoch = Options.InitialEpoch; epoch < Options.InitialEpoch + Options.Epochs && !context.StopRequested; epoch++)
        {
            context.Epoch = epoch;
            foreach (ITrainingCallback<T> callback in Callbacks) callback.OnEpochBegin(context);
            long start = Stopwatch.GetTimestamp();
            double learningRate = double.CreateChecked(Optimizer.LearningRate);
            (double lossSum, double weightSum) = trainEpoch(context);
            if (!AllFinite(Model.Parameters))
            {
                Diverged(context, epoch, batches - 1, batches, "a weight became NaN or infinite");
            }
            var record = new EpochRecord(epoch, weightSum > 0 ? lossSum / weightSum : 0, 0, LearningRate: learningRate);
            Matrix<T>? trainingOutputs = null;
            if (Metric is not null && data is not null)
            {
                trainingOutputs = PredictShared(data.Features);
                record = record with { Metric = Metric.Compute(trainingOutputs, data.Targets) };
            }
            if (validation is not null)
            {
                // The same rows may validate (a cross-fitted ensemble's, each scored by the members that held it out): predicted once.
                Matrix<T> outputs = ReferenceEquals(validation, data) && trainingOutputs is not null ? trainingOutputs : PredictShared(validation.Features);
                double validationLoss = double.CreateChecked((ValidationLoss ?? Loss).Forward(outputs.Data, validation.Targets.Data, [], validation.Count));
                record = record with { ValidationLoss = validationLoss, ValidationMetric = Metric?.Compute(outputs, validation.Targets) };
            }
            record = record with { Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds };
            context.History.Add(record);
            foreach (ITrainingCallback<T> callback in Callbacks) callback.OnEpochEnd(context, record);
        }
        foreach (ITrainingCallback<T> callback in Callbacks) callback.OnTrainEnd(context);
        return context.History;
    }

    // One epoch of a source's rows in mini-batches (see the Dataset overload) -> the loss summed over the samples and their weight.
    private (double LossSum, double WeightSum) TrainEpoch(IBatchSource<T> source, Workspace<T> workspace, T[] inputs, T[] targets, T[] weights,
        Rng rng, TrainingContext<T> context, CancellationToken cancellationToken)
    {
        int batchSize = workspace.MaxBatch, features = Model.InputFeatures, targetColumns = targets.Length / batchSize;
        double lossSum = 0, weightSum = 0;
        for (int batch = 0; ; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = source.Next(inputs, targets, weights, batchSize);
            if (rows == 0)
            {
                break;
            }
            ReadOnlySpan<T> batchWeights = weights.Length == 0 ? [] : weights.AsSpan(0, rows);
            double loss = Step(workspace, inputs.AsSpan(0, rows * features), targets.AsSpan(0, rows * targetColumns), batchWeights, rows, rng);
            if (!double.IsFinite(loss))
            {
                Diverged(context, context.Epoch, batch, context.BatchesPerEpoch, $"the loss became {Describe(loss)}");
            }
            double batchWeight = batchWeights.IsEmpty ? rows : double.CreateChecked(Sum(batchWeights));
            lossSum += loss * batchWeight;
            weightSum += batchWeight;
            OnBatchEnd(context, batch, loss);
        }
        return (lossSum, weightSum);
    }

    // One pass over the data in mini-batches -> the loss summed over the samples (weighted) and the sum of their weights.
    // A method of its own, called once per epoch, whose only loop is the one over batches (the inner loops are in Gather and
    // OnBatchEnd): the runtime then optimizes it like any method called often, in the background between calls. With the
    // loops inside Fit, or inner loops here, a short run reached the count at which the runtime recompiles the running method
    // in place (on-stack replacement): a stall of about 10 ms, longer than the notebook's 50 epochs take.
    private (double LossSum, double WeightSum) TrainEpoch(Dataset<T> data, T[]? sampleWeights, int[] order, Workspace<T> workspace,
        T[] inputs, T[] targets, T[] weights, Rng rng, TrainingContext<T> context, CancellationToken cancellationToken)
    {
        int n = data.Count, batchSize = workspace.MaxBatch, batches = context.BatchesPerEpoch;
        double lossSum = 0, weightSum = 0;
        for (int batch = 0; batch < batches; batch++)
        {
            // The ranks of a data-parallel run agree on stopping inside the step (a signal reaches them at different times).
            if (_parallel is null) cancellationToken.ThrowIfCancellationRequested();
            int first = batch * batchSize, rows = Math.Min(batchSize, n - first);
            ReadOnlySpan<T> batchInputs = inputs, batchTargets = targets;
            double batchWeight = 1;
            if (rows == 1 && sampleWeights is null)
            {
                // One sample is already contiguous in the data: nothing to gather (the notebook's per-sample steps).
                batchInputs = data.Features.Row(order[first]);
                batchTargets = data.Targets.Row(order[first]);
            }
            else
            {
                batchWeight = Gather(data, sampleWeights, order.AsSpan(first, rows), inputs, targets, weights);
            }
            double loss = Step(workspace, batchInputs, batchTargets, sampleWeights is null ? [] : weights.AsSpan(0, rows), rows, rng);
            if (!double.IsFinite(loss))
            {
                Diverged(context, context.Epoch, batch, batches, $"the loss became {Describe(loss)}");
            }
            lossSum += loss * batchWeight;
            weightSum += batchWeight;
            OnBatchEnd(context, batch, loss);
        }
        return (lossSum, weightSum);
    }

    // Gathers the batch's rows (samples) into contiguous buffers, the kernels read (B, F) row-major -> the batch's weight:
    // its number of rows, or the sum of its sample weights.
    private static double Gather(Dataset<T> data, T[]? sampleWeights, ReadOnlySpan<int> samples, T[] inputs, T[] targets, T[] weights)
    {
        int features = data.FeatureCount, targetColumns = data.Targets.Columns;
        for (int r = 0; r < samples.Length; r++)
        {
            data.Features.Row(samples[r]).CopyTo(inputs.AsSpan(r * features, features));
            data.Targets.Row(samples[r]).CopyTo(targets.AsSpan(r * targetColumns, targetColumns));
        }
        if (sampleWeights is null)
        {
            return samples.Length;
        }
        double batchWeight = 0;
        for (int r = 0; r < samples.Length; r++)
        {
            weights[r] = sampleWeights[samples[r]];
            batchWeight += double.CreateChecked(weights[r]);
        }
        return batchWeight;
    }

    private void OnBatchEnd(TrainingContext<T> context, int batch, double loss)
    {
        foreach (ITrainingCallback<T> callback in Callbacks) callback.OnBatchEnd(context, batch, loss);
    }

    // Ends the run: callbacks still see its end (early stopping restores the best weights seen), then the caller gets a clear error.
    private void Diverged(TrainingContext<T> context, int epoch, int batch, int batches, string what)
    {
        context.StopRequested = true;
        context.Diverged = true;
        foreach (ITrainingCallback<T> callback in Callbacks) callback.OnTrainEnd(context);
        double shrink = Optimizer.WeightDecayPerStep;
        throw new TrainingDivergedException(epoch, batch,
            $"Training diverged: {what} at epoch {epoch}, batch {batch + 1} of {batches}. " + (shrink > 2
                // The decay alone multiplies every weight by 1 − lr·λ < −1 each step: no rate or clipping of the gradient helps.
                ? $"The weight decay times the learning rate is {shrink.ToString("G3", CultureInfo.InvariantCulture)}, so every step " +
                  $"multiplies the weights by {(1 - shrink).ToString("G3", CultureInfo.InvariantCulture)}: use a weight decay below " +
                  $"2 / learning rate ({(2 / double.CreateChecked(Optimizer.LearningRate)).ToString("G3", CultureInfo.InvariantCulture)}), usually far below."
                : $"Try a lower learning rate (now {Optimizer.LearningRate}), gradient clipping, or a smaller initialization."));
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+∞" : "−∞";

    private static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (T value in values)
        {
            if (!T.IsFinite(value)) return false;
        }
        return true;
    }

    private void CheckShape(Dataset<T> data, string name)
    {
        int features = Model.InputFeatures, targetColumns = Loss.TargetColumns(Model.OutputFeatures);
        if (data.FeatureCount != features)
        {
            throw new ArgumentException($"Expected {features} features per sample. Received: {data.FeatureCount}.", name);
        }
        if (data.Targets.Columns != targetColumns)
        {
            throw new ArgumentException($"Expected {targetColumns} target columns for {Loss}. Received: {data.Targets.Columns}.", name);
        }
    }

    // A rank's dropout generator in a run on its own rows is seeded apart from its order (FitShares).
    private const ulong DropoutSalt = 0xD509_0A75_0000_0007;

    // The buffers of a data-parallel run, allocated once per Fit: a step allocates nothing.
    private DataParallelBuffers? _parallel;
    private CancellationToken _cancellation;

    private sealed class DataParallelBuffers(ICollective collective, int parameters, Rng shared)
    {
        public ICollective Collective { get; } = collective;

        // This rank's gradients of its rows' summed (weighted) loss, that sum, 1 when it was asked to stop, and its rows' count
        // (or weight): (P + 3).
        public T[] Local { get; } = new T[parameters + 3];

        // Every rank's Local, rank after rank: (N, P + 3).
        public T[] All { get; } = new T[(parameters + 3) * collective.Size];

        // The last step's rows (or weight) over every rank.
        public double StepWeight { get; set; }

        // Dropout's draws differ by rank (each masks other rows), so they come from a generator of the rank's own, seeded from
        // the shared one's state at the start of the run without drawing from it: the shared one shuffles as one process's would.
        public Rng Dropout { get; } = new(shared.GetState()[0] ^ (0x9E3779B97F4A7C15UL * (ulong)(collective.Rank + 1)));
    }

    // One optimizer step on a batch: inputs (B, F), targets (B, K), weights (B) or none -> mean loss
    private double Step(Workspace<T> workspace, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int rows, Rng rng)
    {
        if (_parallel is { } parallel)
        {
            return ParallelStep(parallel, workspace, inputs, targets, weights, rows);
        }
        Model.ZeroGradients();
        ReadOnlySpan<T> output = Model.ForwardChecked(workspace, inputs, rows, rng);
        T loss = Loss.ForwardBackward(workspace.LossGradient(rows), output, targets, weights, rows);
        Model.BackwardChecked(workspace, inputs, rows);
        if (Options.ClipNorm is { } maxNorm)
        {
            ClipGradientNorm(Model.Gradients, maxNorm);
        }
        Optimizer.StepChecked(Model.Parameters, Model.Gradients);
        return double.CreateChecked(loss);
    }

    // Rank r of N steps on rows [r·B/N, (r+1)·B/N) of the batch (ownRows: on all of the rows given, its own share of the
    // data): the gradient of its rows' mean loss times their count (or weight) is its part of the gradient of the batch's
    // summed loss; the parts are summed in rank order (0, 1, …, N−1 on every rank, whatever the order the messages arrive in)
    // and divided by the batch's count (or weight), then every rank clips and steps alike. A stop asked of any rank (Ctrl+C,
    // which reaches each at its own moment) travels with the gradients: all stop at that step.
    private double ParallelStep(DataParallelBuffers parallel, Workspace<T> workspace, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
        ReadOnlySpan<T> weights, int rows, bool ownRows = false)
    {
        ICollective collective = parallel.Collective;
        int size = collective.Size, rank = collective.Rank, features = Model.InputFeatures, outputs = Loss.TargetColumns(Model.OutputFeatures);
        int from = ownRows ? 0 : (int)((long)rows * rank / size), to = ownRows ? rows : (int)((long)rows * (rank + 1) / size), count = to - from;
        int parameters = Model.ParameterCount;
        Model.ZeroGradients();
        T weight = T.Zero, loss = T.Zero;
        if (count > 0)
        {
            ReadOnlySpan<T> localWeights = weights.IsEmpty ? [] : weights.Slice(from, count);
            ReadOnlySpan<T> localInputs = inputs.Slice(from * features, count * features);
            ReadOnlySpan<T> output = Model.ForwardChecked(workspace, localInputs, count, parallel.Dropout);
            loss = Loss.ForwardBackward(workspace.LossGradient(count), output, targets.Slice(from * outputs, count * outputs), localWeights, count);
            Model.BackwardChecked(workspace, localInputs, count);
            weight = weights.IsEmpty ? T.CreateChecked(count) : Sum(localWeights);
        }
        Span<T> local = parallel.Local;
        TensorPrimitives.Multiply(Model.Gradients, weight, local[..parameters]);
        local[parameters] = loss * weight;
        local[parameters + 1] = _cancellation.IsCancellationRequested ? T.One : T.Zero;
        local[parameters + 2] = weight;
        Gather(collective, parallel.Local, parallel.All);
        Span<T> all = parallel.All, gradients = Model.Gradients;
        int stride = parameters + 3;
        for (int r = 0; r < size; r++)
        {
            if (all[r * stride + parameters + 1] != T.Zero) throw new OperationCanceledException(_cancellation);
        }
        all[..parameters].CopyTo(gradients);
        T total = all[parameters], totalWeight = all[parameters + 2];
        for (int r = 1; r < size; r++)
        {
            TensorPrimitives.Add(gradients, all.Slice(r * stride, parameters), gradients);
            total += all[r * stride + parameters];
            totalWeight += all[r * stride + parameters + 2];
        }
        parallel.StepWeight = double.CreateChecked(totalWeight);
        if (totalWeight > T.Zero)
        {
            TensorPrimitives.Divide(gradients, totalWeight, gradients);
            total /= totalWeight;
        }
        if (Options.ClipNorm is { } maxNorm)
        {
            ClipGradientNorm(gradients, maxNorm);
        }
        Optimizer.StepChecked(Model.Parameters, gradients);
        return double.CreateChecked(total);
    }

    // The evaluation's buffers, kept from epoch to epoch of a Fit and dropped at its end: a workspace for forward passes and
    // the outputs of each matrix predicted (the training rows, the validation rows). New ones every epoch were large objects,
    // and allocating them set off a full collection of the heap each epoch.
    private Workspace<T>? _evaluationWorkspace;
    private readonly List<(Matrix<T> Inputs, Matrix<T> Outputs)> _evaluationOutputs = [];

    // Model.Predict's outputs for inputs, into the kept buffers.
    private Matrix<T> Predicted(Matrix<T> inputs)
    {
        _evaluationWorkspace ??= Model.CreateInferenceWorkspace(Sequential<T>.PredictChunk);
        Matrix<T>? outputs = null;
        foreach ((Matrix<T> known, Matrix<T> kept) in _evaluationOutputs)
        {
            if (ReferenceEquals(known, inputs)) outputs = kept;
        }
        if (outputs is null)
        {
            outputs = new Matrix<T>(inputs.Rows, Model.OutputFeatures);
            _evaluationOutputs.Add((inputs, outputs));
        }
        if (OutOfFold is { } outOfFold && ReferenceEquals(outOfFold.Inputs, inputs) && Model.CanPredictMembers(outOfFold.RowsOfMember.Length))
        {
            Model.PredictMembersInto(inputs, outputs, _evaluationWorkspace, outOfFold.RowsOfMember);
        }
        else
        {
            Model.PredictInto(inputs, outputs, _evaluationWorkspace);
        }
        return outputs;
    }

    // The model's outputs for every row, for the epoch's metrics and validation. The ranks of a data-parallel run share the work:
    // each predicts its run of whole 256-row chunks (Sequential.Predict's), so that every row goes through the very products it
    // would in one process, and the ranks gather the outputs in rank order.
    private Matrix<T> PredictShared(Matrix<T> inputs)
    {
        if (_parallel is not { } parallel)
        {
            return Predicted(inputs);
        }
        const int Chunk = Sequential<T>.PredictChunk;
        ICollective collective = parallel.Collective;
        int n = inputs.Rows, outputs = Model.OutputFeatures, size = collective.Size, chunks = (n + Chunk - 1) / Chunk;
        int Start(int rank) => (int)Math.Min(n, (long)chunks * rank / size * Chunk);
        int most = Enumerable.Range(0, size).Max(r => Start(r + 1) - Start(r));
        int from = Start(collective.Rank), rows = Start(collective.Rank + 1) - from;
        var local = new T[most * outputs];
        if (rows > 0)
        {
            Model.Predict(new Matrix<T>(inputs.RowRange(from, rows).ToArray(), rows, inputs.Columns)).Data.CopyTo(local, 0);
        }
        var all = new T[local.Length * size];
        Gather(collective, local, all);
        var result = new Matrix<T>(n, outputs);
        for (int r = 0; r < size; r++)
        {
            all.AsSpan(r * local.Length, (Start(r + 1) - Start(r)) * outputs).CopyTo(result.Data.AsSpan(Start(r) * outputs));
        }
        return result;
    }

    // Ranks that train on different data, weights or generator states would each take a step of their own and drift apart
    // silently: their rows, a checksum of the data and of the weights, and the generator's state are compared once, before
    // the first step.
    // sharedData: the training data (every rank's the same); otherwise the validation data, if any (each rank trains on its own).
    private void CheckRanksAgree(ICollective collective, Dataset<T>? data, Rng rng, bool sharedData = true)
    {
        double features = 0, targets = 0, weights = 0;
        foreach (T value in data?.Features.Data ?? []) features += double.CreateChecked(value);
        foreach (T value in data?.Targets.Data ?? []) targets += double.CreateChecked(value);
        foreach (T value in Model.Parameters) weights += double.CreateChecked(value);
        ulong[] state = rng.GetState();
        double[] local = [data?.Count ?? 0, features, targets, weights, state[0] >> 11, state[1] >> 11];
        var all = new double[local.Length * collective.Size];
        collective.AllGather(local, all);
        for (int r = 1; r < collective.Size; r++)
        {
            ReadOnlySpan<double> other = all.AsSpan(r * local.Length, local.Length), first = all.AsSpan(0, local.Length);
            if (!other.SequenceEqual(first))
            {
                string rowsOf = sharedData ? "rows" : "validation rows";
                string what = other[0] != first[0] ? $"{other[0]:N0} {rowsOf} on rank {r}, {first[0]:N0} on rank 0"
                    : other[1] != first[1] || other[2] != first[2] ? $"other values on rank {r} than on rank 0"
                    : other[3] != first[3] ? $"other initial weights on rank {r} than on rank 0"
                    : $"another random state on rank {r} than on rank 0";
                throw new BackpropException($"Expected every rank to train on the same data with the same options and seed. Received: {what}; " +
                    "give every rank the same --data (the same files at the same path on every machine) and the same flags.");
            }
        }
    }

    private static T Sum(ReadOnlySpan<T> values)
    {
        T sum = T.Zero;
        foreach (T value in values) sum += value;
        return sum;
    }

    private static void Gather(ICollective collective, Span<T> local, Span<T> all)
    {
        if (typeof(T) == typeof(float)) collective.AllGather(MemoryMarshal.Cast<T, float>(local), MemoryMarshal.Cast<T, float>(all));
        else if (typeof(T) == typeof(double)) collective.AllGather(MemoryMarshal.Cast<T, double>(local), MemoryMarshal.Cast<T, double>(all));
        else throw new NotSupportedException($"Data-parallel training in {typeof(T).Name}: float and double are supported.");
    }

    /// <summary>Rescales <paramref name="gradients"/> so that their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before.</summary>
    /// <remarks>PyTorch's <c>clip_grad_norm_</c>: the factor is <c>max / (‖g‖ + 1e-6)</c>, applied only when below 1.</remarks>
    public static double ClipGradientNorm(Span<T> gradients, double maxNorm)
    {
        double sum = 0;
        foreach (T g in gradients)
        {
            double value = double.CreateChecked(g);
            sum += value * value;
        }
        double norm = Math.Sqrt(sum), factor = maxNorm / (norm + 1e-6);
        if (factor < 1)
        {
            TensorPrimitives.Multiply(gradients, T.CreateChecked(factor), gradients);
        }
        return norm;
    }
}
