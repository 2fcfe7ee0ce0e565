namespace Backprop.Estimators;

/// <summary>The <c>history</c> entry of a model file: the loss curves of its training, as JSON (snake_case keys).</summary>
/// <param name="Epochs">Epochs trained in all.</param>
/// <param name="Epoch">The epoch of each stored point, when a long run keeps every k-th epoch only; <see langword="null"/> when every epoch is stored.</param>
/// <param name="Loss">Training loss per stored epoch (null where not finite).</param>
/// <param name="ValLoss">Validation loss per stored epoch, or <see langword="null"/> without validation data.</param>
/// <param name="FinalLoss">The last epoch's training loss.</param>
/// <param name="FinalValLoss">The last epoch's validation loss.</param>
/// <param name="BestEpoch">The epoch whose model the file holds, when early stopping chose it.</param>
internal sealed record TrainingHistoryEntry(
    int Epochs,
    int[]? Epoch,
    double?[] Loss,
    double?[]? ValLoss,
    double? FinalLoss,
    double? FinalValLoss,
    int? BestEpoch);
