using System.Diagnostics;
using System.Numerics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>The training loop: epochs of shuffled mini-batches; forward, loss, backward, step.</summary>
/// <remarks>
/// Independent of where data comes from: it takes a <see cref="Dataset{T}"/>. Buffers (batch, activations) are allocated once
/// per <see cref="Fit"/>, so the steps themselves allocate nothing.
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

    /// <summary>Called at the start, after every batch and epoch, and at the end, in order.</summary>
    public List<ITrainingCallback<T>> Callbacks { get; } = [];

    /// <summary>Trains on <paramref name="data"/>, drawing shuffles from <paramref name="rng"/>.</summary>
    /// <returns>One record per completed epoch.</returns>
    /// <exception cref="ArgumentException">The data does not fit the model or the loss.</exception>
    public IReadOnlyList<EpochRecord> Fit(Dataset<T> data, Rng rng, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rng);
        int features = Model.InputFeatures, targetColumns = Loss.TargetColumns(Model.OutputFeatures);
        if (data.FeatureCount != features)
        {
            throw new ArgumentException($"Expected {features} features per sample. Received: {data.FeatureCount}.", nameof(data));
        }
        if (data.Targets.Columns != targetColumns)
        {
            throw new ArgumentException($"Expected {targetColumns} target columns for {Loss}. Received: {data.Targets.Columns}.", nameof(data));
        }
        int n = data.Count, batchSize = Math.Min(Options.BatchSize, Math.Max(n, 1));
        int batches = (n + batchSize - 1) / batchSize;
        var context = new TrainingContext<T>(Model, Optimizer, Options, batches);
        Workspace<T> workspace = Model.CreateWorkspace(batchSize);
        var inputs = new T[batchSize * features];
        var targets = new T[batchSize * targetColumns];
        int[] order = Enumerable.Range(0, n).ToArray();

        foreach (ITrainingCallback<T> callback in Callbacks) callback.OnTrainBegin(context);
        for (int epoch = 0; epoch < Options.Epochs && !context.StopRequested; epoch++)
        {
            context.Epoch = epoch;
            long start = Stopwatch.GetTimestamp();
            if (Options.Shuffle)
            {
                rng.Shuffle<int>(order);
            }
            double lossSum = 0;
            for (int batch = 0; batch < batches; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int first = batch * batchSize, rows = Math.Min(batchSize, n - first);
                // Gather the batch's rows into contiguous buffers: the kernels read (B, F) row-major.
                for (int r = 0; r < rows; r++)
                {
                    int sample = order[first + r];
                    data.Features.Row(sample).CopyTo(inputs.AsSpan(r * features, features));
                    data.Targets.Row(sample).CopyTo(targets.AsSpan(r * targetColumns, targetColumns));
                }
                double loss = Step(workspace, inputs, targets, rows, rng);
                lossSum += loss * rows;
                foreach (ITrainingCallback<T> callback in Callbacks) callback.OnBatchEnd(context, batch, loss);
            }
            var record = new EpochRecord(epoch, n > 0 ? lossSum / n : 0, Stopwatch.GetElapsedTime(start).TotalSeconds);
            context.History.Add(record);
            foreach (ITrainingCallback<T> callback in Callbacks) callback.OnEpochEnd(context, record);
        }
        foreach (ITrainingCallback<T> callback in Callbacks) callback.OnTrainEnd(context);
        return context.History;
    }

    // One optimizer step on a batch: inputs (B, F), targets (B, K) -> mean loss
    private double Step(Workspace<T> workspace, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, Rng rng)
    {
        Model.ZeroGradients();
        ReadOnlySpan<T> output = Model.Forward(workspace, inputs, rows, rng);
        T loss = Loss.ForwardBackward(workspace.LossGradient(rows), output, targets, ReadOnlySpan<T>.Empty, rows);
        Model.Backward(workspace, inputs, rows);
        Optimizer.Step(Model.Parameters, Model.Gradients);
        return double.CreateChecked(loss);
    }
}
