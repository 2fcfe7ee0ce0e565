using System.Numerics;
using Backprop.Layers;
using Backprop.Optimizers;
using Backprop.Tensors;
using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>
/// The tabular trainer's own callback, run after the schedule and early stopping: it keeps a snapshot of the best epoch (by the
/// monitored loss, with the run's minimum improvement), and writes the checkpoint files.
/// </summary>
/// <remarks>
/// The best epoch is the one early stopping keeps and the one an interrupted run saves, so its snapshot holds the whole state
/// (weights, optimizer, generator, bookkeeping): a file written from it resumes exactly from that epoch.
/// </remarks>
internal sealed class RunRecorder<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequential<T> _network;
    private readonly Optimizer<T> _optimizer;
    private readonly Rng _rng;
    private readonly LearningRateScheduler<T>? _scheduler;
    private readonly EarlyStopping<T>? _stopping;
    private readonly double _minDelta;
    private readonly int _initialEpoch;
    private readonly RunSnapshot<T> _latest;

    /// <summary>Creates the recorder.</summary>
    /// <param name="network">The network trained.</param>
    /// <param name="optimizer">The run's optimizer.</param>
    /// <param name="twin">Makes another optimizer of the run's kind and settings, to hold copied state.</param>
    /// <param name="rng">The run's generator.</param>
    /// <param name="scheduler">The run's learning-rate scheduler, or <see langword="null"/> for a constant rate.</param>
    /// <param name="stopping">The run's early stopping, or <see langword="null"/>.</param>
    /// <param name="minDelta">Smallest decrease of the monitored loss that counts as an improvement.</param>
    /// <param name="initialEpoch">Epochs completed before this run.</param>
    /// <param name="initialBest">The best epoch and loss before this run (a resumed run's), or (−1, null).</param>
    public RunRecorder(Sequential<T> network, Optimizer<T> optimizer, Func<Optimizer<T>> twin, Rng rng, LearningRateScheduler<T>? scheduler,
        EarlyStopping<T>? stopping, double minDelta, int initialEpoch, (int Epoch, double? Loss) initialBest)
    {
        _network = network;
        _optimizer = optimizer;
        _rng = rng;
        _scheduler = scheduler;
        _stopping = stopping;
        _minDelta = minDelta;
        _initialEpoch = initialEpoch;
        (BestEpoch, BestLoss) = initialBest;
        Best = new RunSnapshot<T>(network, twin());
        _latest = new RunSnapshot<T>(network, twin());
    }

    /// <summary>The best epoch so far (from 0), or −1.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Its monitored loss (validation loss, else training loss).</summary>
    public double? BestLoss { get; private set; }

    /// <summary>
    /// The state at the end of the best epoch, or at the start of the run until an epoch of this run improves on the best before it
    /// (for a resumed run from its best epoch's file, that is the best epoch).
    /// </summary>
    public RunSnapshot<T> Best { get; }

    /// <summary>Called with the best snapshot whenever an epoch improves (to write the best checkpoint file).</summary>
    public Action<RunSnapshot<T>>? OnImproved { get; init; }

    /// <summary>Every this many epochs (counted from the first of the whole training), <see cref="OnCheckpoint"/> gets the current state.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>Called with the current state every <see cref="CheckpointEvery"/> epochs (to write the latest checkpoint file).</summary>
    public Action<RunSnapshot<T>>? OnCheckpoint { get; init; }

    /// <summary>The state now, at the end of an epoch (or before the first), copied into a reused snapshot.</summary>
    public RunSnapshot<T> Current(int epochsCompleted)
    {
        _latest.Capture(_network, _optimizer, _rng, epochsCompleted, Bookkeeping());
        return _latest;
    }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context)
    {
        Best.Capture(_network, _optimizer, _rng, _initialEpoch, Bookkeeping());
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        double loss = BestEpochRule.Monitored(record);
        // The rule early stopping applies, so both agree on the best epoch.
        if (BestEpochRule.Improves(loss, BestLoss, _minDelta))
        {
            (BestEpoch, BestLoss) = (record.Epoch, loss);
            Best.Capture(_network, _optimizer, _rng, record.Epoch + 1, Bookkeeping());
            OnImproved?.Invoke(Best);
        }
        if (CheckpointEvery is int every && (record.Epoch + 1) % every == 0)
        {
            OnCheckpoint?.Invoke(Current(record.Epoch + 1));
        }
    }

    private TrainingStateEntry Bookkeeping() => new(BestEpoch, BestLoss, _stopping?.State, _scheduler?.State);
}
