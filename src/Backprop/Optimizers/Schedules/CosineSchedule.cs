using System.Globalization;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>Linear warm-up, then cosine decay to a floor over the rest of the run.</summary>
/// <remarks>
/// With <c>W</c> warm-up epochs and <c>E</c> epochs in the run: <c>lr = lr₀ · (epoch + 1) / (W + 1)</c> for <c>epoch &lt; W</c>, then
/// <c>lr = min + (lr₀ − min) · (1 + cos(π · (epoch − W) / (E − W))) / 2</c>, so the first epoch after warm-up runs at <c>lr₀</c>.
/// Without warm-up it is PyTorch's <c>CosineAnnealingLR(T_max = E, eta_min = min)</c> stepped per epoch.
/// </remarks>
public sealed class CosineSchedule<T> : LearningRateSchedule<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmupEpochs">Epochs of linear warm-up (≥ 0). Default 0.</param>
    /// <param name="minimumLearningRate">The floor reached at the end of the run (≥ 0). Default 0.</param>
    public CosineSchedule(int warmupEpochs = 0, double minimumLearningRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        if (!(minimumLearningRate >= 0) || !double.IsFinite(minimumLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumLearningRate), minimumLearningRate, "Expected a finite minimum learning rate ≥ 0.");
        }
        WarmupEpochs = warmupEpochs;
        MinimumLearningRate = minimumLearningRate;
    }

    /// <summary>Epochs of linear warm-up.</summary>
    public int WarmupEpochs { get; }

    /// <summary>The floor reached at the end of the run.</summary>
    public double MinimumLearningRate { get; }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch, double initial, int epochs)
    {
        if (epoch < WarmupEpochs)
        {
            return initial * (epoch + 1) / (WarmupEpochs + 1);
        }
        int span = Math.Max(1, epochs - WarmupEpochs);
        double progress = Math.Min(1.0, (double)(epoch - WarmupEpochs) / span);
        return MinimumLearningRate + (initial - MinimumLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    /// <summary>For example <c>CosineSchedule(warm-up: 5, min: 0)</c>.</summary>
    public override string ToString() =>
        $"CosineSchedule(warm-up: {WarmupEpochs}, min: {MinimumLearningRate.ToString(CultureInfo.InvariantCulture)})";
}
