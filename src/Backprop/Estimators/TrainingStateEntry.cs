using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>The <c>training.state</c> entry of a model file: what a resumed run needs beside the weights, optimizer and generator state.</summary>
/// <param name="BestEpoch">The best epoch so far (by the monitored loss), or −1 before any.</param>
/// <param name="BestLoss">Its monitored loss.</param>
/// <param name="EarlyStopping">The early-stopping bookkeeping, when the run has early stopping.</param>
/// <param name="Scheduler">The learning-rate scheduler's bookkeeping (plateau cuts).</param>
internal sealed record TrainingStateEntry(int BestEpoch, double? BestLoss, EarlyStoppingState? EarlyStopping, LearningRateSchedulerState? Scheduler);
