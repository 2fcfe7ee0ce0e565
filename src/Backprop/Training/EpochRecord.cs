namespace Backprop.Training;

/// <summary>What one epoch produced.</summary>
/// <param name="Epoch">Epoch number, from 0 (the notebook's numbering).</param>
/// <param name="Loss">
/// Mean training loss over the epoch's samples, as measured during the epoch (before each step, in training mode, so with
/// dropout active); weighted by the sample weights when the run has them.
/// </param>
/// <param name="Seconds">Wall time of the epoch (including the validation pass, if any).</param>
/// <param name="ValidationLoss">Loss on the validation set after the epoch, in inference mode; null without validation data.</param>
/// <param name="Metric">The trainer's main metric (<see cref="Trainer{T}.Metric"/>) on the training set after the epoch; null when no metric is set.</param>
/// <param name="ValidationMetric">The main metric on the validation set; null without a metric or validation data.</param>
/// <param name="LearningRate">The optimizer's learning rate during the epoch.</param>
public sealed record EpochRecord(
    int Epoch,
    double Loss,
    double Seconds,
    double? ValidationLoss = null,
    double? Metric = null,
    double? ValidationMetric = null,
    double? LearningRate = null);
