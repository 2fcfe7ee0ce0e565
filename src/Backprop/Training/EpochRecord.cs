namespace Backprop.Training;

/// <summary>What one epoch produced.</summary>
/// <param name="Epoch">Epoch number, from 0 (the notebook's numbering).</param>
/// <param name="Loss">Mean training loss over the epoch's samples, as measured during the epoch (before each step).</param>
/// <param name="Seconds">Wall time of the epoch.</param>
public sealed record EpochRecord(int Epoch, double Loss, double Seconds);
