using System.Numerics;

namespace Backprop.Training;

/// <summary>
/// Stops training when the monitored loss has not improved for <see cref="Patience"/> epochs, and leaves the model with the
/// weights of its best epoch.
/// </summary>
/// <remarks>
/// Monitors <see cref="EpochRecord.ValidationLoss"/>, or the training loss when the run has no validation data. An epoch
/// improves when its loss is below the best so far by more than <see cref="MinDelta"/> (Keras' <c>min_delta</c>).
/// The best weights are restored at the end of every run, whether it stopped early or reached its epoch limit: Keras'
/// <c>restore_best_weights</c> skips the restore in the second case (keras#12511), so a model could come back worse than
/// its best epoch; this one never does.
/// </remarks>
public sealed class EarlyStopping<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _bestParameters = [];
    private int _epochsWithoutImprovement;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Epochs without improvement before stopping (≥ 1). Default 10 (scikit-learn's <c>n_iter_no_change</c>).</param>
    /// <param name="minDelta">Smallest decrease of the loss that counts as an improvement (≥ 0). Default 0 (Keras').</param>
    /// <param name="restoreBestWeights">Put the best epoch's weights back at the end. Default on.</param>
    public EarlyStopping(int patience = 10, double minDelta = 0, bool restoreBestWeights = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        if (!(minDelta >= 0) || !double.IsFinite(minDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "Expected a finite min_delta ≥ 0.");
        }
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Smallest decrease that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best weights are put back at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the lowest monitored loss, or −1 before the first epoch.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>The lowest monitored loss seen.</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The epoch after which the run was stopped, or null if it ran to its limit.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context)
    {
        BestEpoch = -1;
        BestLoss = double.PositiveInfinity;
        StoppedEpoch = null;
        _epochsWithoutImprovement = 0;
        _bestParameters = (T[])context.Model.Parameters.Clone();
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        double loss = record.ValidationLoss ?? record.Loss;
        // A NaN loss (a diverged run) never counts as an improvement, not even as the first epoch.
        if (loss < BestLoss - MinDelta || (BestEpoch < 0 && !double.IsNaN(loss)))
        {
            BestLoss = loss;
            BestEpoch = record.Epoch;
            _epochsWithoutImprovement = 0;
            context.Model.Parameters.CopyTo(_bestParameters, 0);
            return;
        }
        _epochsWithoutImprovement++;
        if (_epochsWithoutImprovement >= Patience)
        {
            StoppedEpoch = record.Epoch;
            context.StopRequested = true;
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext<T> context)
    {
        if (RestoreBestWeights && BestEpoch >= 0)
        {
            _bestParameters.CopyTo(context.Model.Parameters, 0);
        }
    }
}
