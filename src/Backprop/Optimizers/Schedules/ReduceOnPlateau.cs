using System.Globalization;
using System.Numerics;
using Backprop.Training;

namespace Backprop.Optimizers;

/// <summary>Cuts the learning rate by a factor when the monitored loss stops improving (PyTorch's <c>ReduceLROnPlateau</c>, mode 'min').</summary>
/// <remarks>
/// Monitors the validation loss, or the training loss without validation data. An epoch improves when its loss is below
/// <c>best · (1 − threshold)</c> (PyTorch's relative threshold). After more than <see cref="Patience"/> epochs without
/// improvement the rate becomes <c>max(lr · factor, min)</c>, then <see cref="Cooldown"/> epochs pass before counting again.
/// </remarks>
public sealed class ReduceOnPlateau<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _best = double.PositiveInfinity;
    private int _badEpochs, _cooldownLeft;

    /// <summary>Creates the callback.</summary>
    /// <param name="factor">Multiplier applied on a plateau, in <c>(0, 1)</c>. Default 0.1.</param>
    /// <param name="patience">Epochs without improvement tolerated (≥ 0). Default 10.</param>
    /// <param name="threshold">Relative improvement that counts (≥ 0). Default 1e-4.</param>
    /// <param name="cooldown">Epochs to wait after a cut before counting again (≥ 0). Default 0.</param>
    /// <param name="minimumLearningRate">The rate never goes below this (≥ 0). Default 0.</param>
    public ReduceOnPlateau(double factor = 0.1, int patience = 10, double threshold = 1e-4, int cooldown = 0, double minimumLearningRate = 0)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Expected a factor in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(threshold >= 0) || !(minimumLearningRate >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "Expected threshold ≥ 0 and minimum learning rate ≥ 0.");
        }
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        Cooldown = cooldown;
        MinimumLearningRate = minimumLearningRate;
    }

    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Epochs to wait after a cut.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the learning rate.</summary>
    public double MinimumLearningRate { get; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context)
    {
        _best = double.PositiveInfinity;
        _badEpochs = 0;
        _cooldownLeft = 0;
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        double loss = record.ValidationLoss ?? record.Loss;
        if (loss < _best * (1 - Threshold) || double.IsPositiveInfinity(_best))
        {
            _best = loss;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }
        if (_badEpochs > Patience)
        {
            double current = double.CreateChecked(context.Optimizer.LearningRate);
            context.Optimizer.LearningRate = T.CreateChecked(Math.Max(current * Factor, MinimumLearningRate));
            _cooldownLeft = Cooldown;
            _badEpochs = 0;
        }
    }

    /// <summary>For example <c>ReduceOnPlateau(factor: 0.1, patience: 10)</c>.</summary>
    public override string ToString() => $"ReduceOnPlateau(factor: {Factor.ToString(CultureInfo.InvariantCulture)}, patience: {Patience})";
}
