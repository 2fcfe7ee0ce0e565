using Backprop.Training;

namespace Backprop.Estimators;

/// <summary>
/// A <see cref="TabularTrainer{T}"/> run was canceled (Ctrl+C): it finished the current batch and stopped; when the options name a
/// <see cref="TabularTrainingOptions.SavePath"/> and an epoch had completed, the best model so far is in that file.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    internal TrainingCanceledException(string message, string? savedPath, int? savedEpoch, IReadOnlyList<EpochRecord> history, CancellationToken token)
        : base(message, token)
    {
        SavedPath = savedPath;
        SavedEpoch = savedEpoch;
        History = history;
    }

    /// <summary>One record per epoch this run completed before it was canceled, as <see cref="TabularTrainingResult{T}.History"/> holds them.</summary>
    public IReadOnlyList<EpochRecord> History { get; }

    /// <summary>The file the best model so far was written to, or <see langword="null"/> (no save path, or no epoch completed).</summary>
    public string? SavedPath { get; }

    /// <summary>The epoch whose model was saved, or <see langword="null"/> when nothing was.</summary>
    public int? SavedEpoch { get; }
}
