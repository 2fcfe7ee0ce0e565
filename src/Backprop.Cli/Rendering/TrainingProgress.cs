namespace Backprop.Cli.Rendering;

/// <summary>Where a run stands: what the progress line shows, read from the training callbacks at one moment.</summary>
/// <param name="Epoch">The current epoch, from 0 (the epoch lines' numbering).</param>
/// <param name="FirstEpoch">The run's first epoch (above 0 when it resumes a saved model).</param>
/// <param name="Epochs">Epochs in this run.</param>
/// <param name="Batch">Batches done in the current epoch.</param>
/// <param name="Batches">Batches (optimizer steps) in one epoch.</param>
/// <param name="Loss">The running training loss (see <see cref="TerminalTrainingDisplay{T}"/>); null before it is known.</param>
/// <param name="HasValidation">The run has validation data (its figures show from the start, as <c>-</c> until known).</param>
/// <param name="ValidationLoss">The last epoch's validation loss; null without validation data or before the first epoch ends.</param>
/// <param name="ValidationMetric">The last epoch's validation metric; null when there is none.</param>
/// <param name="MetricName">The metric's name (<c>accuracy</c>, <c>r2</c>), or null.</param>
/// <param name="StepsPerSecond">Optimizer steps per second lately (see <see cref="Pace"/>); null before it is known.</param>
/// <param name="SamplesPerSecond">
/// Samples per second lately, every batch counted as full: an epoch's last batch may hold fewer samples, how many only the
/// trainer knows, so with several batches an epoch the figure is at most one batch an epoch high; null before it is known.
/// </param>
/// <param name="TimeLeft">The time the remaining steps take at that pace; null before it is known.</param>
internal sealed record TrainingProgress(
    int Epoch,
    int FirstEpoch,
    int Epochs,
    int Batch,
    int Batches,
    double? Loss,
    bool HasValidation,
    double? ValidationLoss,
    double? ValidationMetric,
    string? MetricName,
    double? StepsPerSecond,
    double? SamplesPerSecond,
    TimeSpan? TimeLeft)
{
    /// <summary>Optimizer steps in the whole run.</summary>
    public long TotalSteps => (long)Epochs * Batches;

    /// <summary>Optimizer steps done so far.</summary>
    public long StepsDone => StepsAt(Epoch - FirstEpoch, Batch, Batches, TotalSteps);

    /// <summary>The share of the run done, from 0 to 1.</summary>
    public double Fraction => TotalSteps == 0 ? 0 : (double)StepsDone / TotalSteps;

    /// <summary>Steps done after <paramref name="epochsDone"/> whole epochs and <paramref name="batch"/> batches of the next.</summary>
    public static long StepsAt(int epochsDone, int batch, int batches, long totalSteps) =>
        Math.Clamp((long)epochsDone * batches + batch, 0, totalSteps);

    /// <summary>
    /// The time <paramref name="steps"/> more take at <paramref name="stepsPerSecond"/>; null when the pace is not known. An
    /// upper bound when early stopping ends the run sooner.
    /// </summary>
    public static TimeSpan? TimeFor(long steps, double? stepsPerSecond)
    {
        if (stepsPerSecond is not { } pace || pace <= 0) return null;
        double seconds = steps / pace;
        // Beyond what a TimeSpan holds the figure means nothing anyway: the line shows it as the largest it prints.
        return seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
    }
}
