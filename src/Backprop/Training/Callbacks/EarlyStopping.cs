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
    private EarlyStoppingState _state;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Epochs without improvement before stopping (≥ 1). Default 10 (scikit-learn's <c>n_iter_no_change</c>).</param>
    /// <param name="minDelta">Smallest decrease of the loss that counts as an improvement (≥ 0). Default 0 (Keras').</param>
    /// <param name="restoreBestWeights">Put the best epoch's weights back at the end. Default on.</param>
    /// <param name="initialState">What every run starts from: a resumed run's saved state; none by default.</param>
    public EarlyStopping(int patience = 10, double minDelta = 0, bool restoreBestWeights = true, EarlyStoppingState? initialState = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        if (!(minDelta >= 0) || !double.IsFinite(minDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "Expected a finite min_delta ≥ 0.");
        }
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
        InitialState = initialState ?? new EarlyStoppingState();
        _state = InitialState;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Smallest decrease that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best weights are put back at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The state every run starts from.</summary>
    public EarlyStoppingState InitialState { get; }

    /// <summary>What the callback has seen so far.</summary>
    public EarlyStoppingState State => _state;

    /// <summary>The epoch with the lowest monitored loss, or −1 before the first epoch.</summary>
    public int BestEpoch => _state.BestEpoch;

    /// <summary>The lowest monitored loss seen (positive infinity before any).</summary>
    public double BestLoss => _state.BestLoss ?? double.PositiveInfinity;

    /// <summary>The epoch after which the run was stopped, or null if it ran to its limit.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _state = InitialState;
        StoppedEpoch = null;
        // Until an epoch of this run improves, the weights it starts from stand for the initial state's best epoch: with an
        // initial state, resume from the file of that epoch (as the tabular trainer does) for the restore to be exact.
        _bestParameters = RestoreBestWeights ? (T[])context.Model.Parameters.Clone() : [];
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        double loss = record.ValidationLoss ?? record.Loss;
        // A NaN loss (a diverged run) never counts as an improvement, not even as the first epoch.
        if (loss < BestLoss - MinDelta || (_state.BestLoss is null && !double.IsNaN(loss)))
        {
            _state = new EarlyStoppingState(record.Epoch, loss, 0);
            if (RestoreBestWeights)
            {
                context.Model.Parameters.CopyTo(_bestParameters, 0);
            }
            return;
        }
        _state = _state with { EpochsWithoutImprovement = _state.EpochsWithoutImprovement + 1 };
        if (_state.EpochsWithoutImprovement >= Patience)
        {
            StoppedEpoch = record.Epoch;
            context.StopRequested = true;
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RestoreBestWeights && _state.BestLoss is not null)
        {
            _bestParameters.CopyTo(context.Model.Parameters, 0);
        }
    }
}
