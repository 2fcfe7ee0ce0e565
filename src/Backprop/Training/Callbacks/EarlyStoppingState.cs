namespace Backprop.Training;

/// <summary>What an <see cref="EarlyStopping{T}"/> has seen, saved with a model so a resumed run counts on from it.</summary>
/// <param name="BestEpoch">The epoch with the lowest monitored loss, or −1 before the first epoch.</param>
/// <param name="BestLoss">That loss, or <see langword="null"/> before the first epoch.</param>
/// <param name="EpochsWithoutImprovement">Epochs since <paramref name="BestEpoch"/>.</param>
public sealed record EarlyStoppingState(int BestEpoch = -1, double? BestLoss = null, int EpochsWithoutImprovement = 0);
