using System.Numerics;
using Backprop.Optimizers;

namespace Backprop.Training;

/// <summary>Sets the optimizer's learning rate before every epoch from a <see cref="LearningRateSchedule"/>, a base rate and the run's length.</summary>
/// <remarks>
/// <para>
/// The rate of epoch <c>e</c> is <c>Schedule.LearningRateAt(e, Epochs, BaseRate)</c>: it depends on nothing the optimizer holds,
/// so a run resumed at epoch <c>e</c> with the same base rate and horizon continues exactly, and a resumed run given a new base
/// rate uses it from its first epoch on.
/// </para>
/// <para>
/// For a <see cref="PlateauSchedule"/> the scheduler also watches the monitored loss after every epoch (validation loss, else
/// training loss) and counts the cuts; that bookkeeping is <see cref="State"/>, which a resumed run restores.
/// </para>
/// </remarks>
public sealed class LearningRateScheduler<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the scheduler.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="baseRate">The rate before any schedule (finite, ≥ 0).</param>
    /// <param name="epochs">The run's length in epochs, counted from epoch 0 (≥ 0): the horizon of a cosine schedule.</param>
    /// <param name="initialState">The plateau bookkeeping at the start of every run (a resumed run's saved state); none by default.</param>
    /// <exception cref="ArgumentException">The schedule's parameters are out of range, or the rate or the horizon is.</exception>
    public LearningRateScheduler(LearningRateSchedule schedule, double baseRate, int epochs, LearningRateSchedulerState? initialState = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Problem() is { } problem)
        {
            throw new ArgumentException($"Expected {problem}. Received: {schedule}.", nameof(schedule));
        }
        if (!(baseRate >= 0) || !double.IsFinite(baseRate))
        {
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, "Expected a finite base learning rate ≥ 0.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        Schedule = schedule;
        BaseRate = baseRate;
        Epochs = epochs;
        InitialState = initialState ?? new LearningRateSchedulerState();
        State = InitialState;
    }

    /// <summary>The schedule applied.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>The rate before any schedule.</summary>
    public double BaseRate { get; }

    /// <summary>The run's length in epochs (the horizon).</summary>
    public int Epochs { get; }

    /// <summary>The plateau bookkeeping every run starts from.</summary>
    public LearningRateSchedulerState InitialState { get; }

    /// <summary>The plateau bookkeeping so far (cuts, best loss, epochs without improvement); unused by the other schedules.</summary>
    public LearningRateSchedulerState State { get; private set; }

    /// <summary>The rate epoch <paramref name="epoch"/> runs at, given the cuts counted so far.</summary>
    public double LearningRateAt(int epoch) => Schedule is PlateauSchedule plateau
        ? plateau.LearningRateAfter(State.Cuts, BaseRate)
        : Schedule.LearningRateAt(epoch, Epochs, BaseRate);

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext<T> context) => State = InitialState;

    /// <inheritdoc/>
    public void OnEpochBegin(TrainingContext<T> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Optimizer.LearningRate = T.CreateChecked(LearningRateAt(context.Epoch));
    }

    /// <inheritdoc/>
    public void OnBatchEnd(TrainingContext<T> context, int batch, double loss)
    {
        if (Schedule.EveryStep)
        {
            // The rate of the next step, at the fraction of the run it starts from.
            double epoch = context.Epoch + (batch + 1.0) / context.BatchesPerEpoch;
            context.Optimizer.LearningRate = T.CreateChecked(Schedule.LearningRateAt(epoch, Epochs, BaseRate));
        }
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainingContext<T> context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Schedule is not PlateauSchedule plateau)
        {
            return;
        }
        double loss = record.ValidationLoss ?? record.Loss;
        LearningRateSchedulerState state = State;
        // An epoch improves when its loss is below best · (1 − threshold); the first finite loss always does.
        State = state.Best is not { } best || loss < best * (1 - PlateauSchedule.Threshold)
            ? state with { Best = double.IsNaN(loss) ? state.Best : loss, EpochsWithoutImprovement = 0 }
            : state.EpochsWithoutImprovement + 1 > plateau.Patience
                ? state with { Cuts = state.Cuts + 1, EpochsWithoutImprovement = 0 }
                : state with { EpochsWithoutImprovement = state.EpochsWithoutImprovement + 1 };
    }

    /// <summary>For example <c>LearningRateScheduler(cosine:5, base 0.01, 100 epochs)</c>.</summary>
    public override string ToString() =>
        $"LearningRateScheduler({Schedule}, base {BaseRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {Epochs} epochs)";
}
