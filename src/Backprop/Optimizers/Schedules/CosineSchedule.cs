namespace Backprop.Optimizers;

/// <summary>Linear warm-up, then cosine decay to a floor over the rest of the run; <c>cosine[:WARMUP_EPOCHS[:MIN_LR]]</c>.</summary>
/// <remarks>
/// With <c>W</c> warm-up epochs and <c>E</c> epochs in the run: <c>lr = lr₀ · (epoch + 1) / (W + 1)</c> for <c>epoch &lt; W</c>, then
/// <c>lr = min + (lr₀ − min) · (1 + cos(π · (epoch − W) / (E − W))) / 2</c>, so the first epoch after warm-up runs at <c>lr₀</c>.
/// Without warm-up it is PyTorch's <c>CosineAnnealingLR(T_max = E, eta_min = min)</c> stepped per epoch.
/// </remarks>
/// <param name="WarmupEpochs">Epochs of linear warm-up (≥ 0). Default 0.</param>
/// <param name="MinimumLearningRate">The floor reached at the end of the run (≥ 0). Default 0.</param>
public sealed record CosineSchedule(int WarmupEpochs = 0, double MinimumLearningRate = 0) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, int epochs, double baseRate)
    {
        if (epoch < WarmupEpochs)
        {
            return baseRate * (epoch + 1) / (WarmupEpochs + 1);
        }
        int span = Math.Max(1, epochs - WarmupEpochs);
        double progress = Math.Min(1.0, (double)(epoch - WarmupEpochs) / span);
        return MinimumLearningRate + (baseRate - MinimumLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    /// <inheritdoc/>
    public override string? Problem() =>
        WarmupEpochs < 0 ? "warm-up epochs ≥ 0"
        : !(MinimumLearningRate >= 0) || !double.IsFinite(MinimumLearningRate) ? "a finite minimum learning rate ≥ 0"
        : null;

    /// <summary>For example <c>cosine</c>, <c>cosine:5</c> or <c>cosine:5:1E-05</c>.</summary>
    public override string ToString() =>
        MinimumLearningRate != 0 ? $"cosine:{WarmupEpochs}:{Text(MinimumLearningRate)}"
        : WarmupEpochs != 0 ? $"cosine:{WarmupEpochs}"
        : "cosine";
}
