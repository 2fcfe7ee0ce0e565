using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>Base of every optimizer: owns the step count and the state block; a subclass writes only its update rule.</summary>
/// <remarks>
/// The state of every parameter (momentum, moments, …) is one contiguous block of <see cref="StateSlots"/> × <c>N</c> values,
/// slot after slot, allocated once at the first step. A step allocates nothing.
/// </remarks>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _state = [];

    /// <summary>Sets the learning rate and the number of state values kept per parameter.</summary>
    protected Optimizer(T learningRate, int stateSlots)
    {
        if (!(learningRate >= T.Zero) || !T.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"Expected a finite learning rate ≥ 0. Received: {learningRate}.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(stateSlots);
        LearningRate = learningRate;
        StateSlots = stateSlots;
    }

    /// <summary>The current learning rate (schedules change it between steps).</summary>
    public T LearningRate { get; set; }

    /// <summary>Steps taken so far; the first call of <see cref="Step"/> is step 1.</summary>
    public long StepCount { get; set; }

    /// <summary>Number of state values kept per parameter.</summary>
    public int StateSlots { get; }

    /// <summary>The state block, <see cref="StateSlots"/> × <c>N</c> values (empty before the first step).</summary>
    public T[] State
    {
        get => _state;
        set => _state = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException($"Expected {parameters.Length} gradients. Received: {gradients.Length}.", nameof(gradients));
        }
        Prepare(parameters.Length);
        StepChecked(parameters, gradients);
    }

    /// <summary>Allocates the state block for <paramref name="parameterCount"/> parameters, unless it is there already.</summary>
    /// <exception cref="InvalidOperationException">The optimizer holds state for another number of parameters.</exception>
    internal void Prepare(int parameterCount)
    {
        long stateLength = (long)StateSlots * parameterCount;
        if (_state.Length != stateLength)
        {
            if (_state.Length != 0)
            {
                throw new InvalidOperationException($"This optimizer holds state for {_state.Length / Math.Max(1, StateSlots)} parameters. Received: {parameterCount}.");
            }
            _state = new T[stateLength];
        }
    }

    /// <summary><see cref="Step"/> for a caller that has checked the lengths and called <see cref="Prepare"/> once (the trainer, per run).</summary>
    internal void StepChecked(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        StepCount++;
        Update(parameters, gradients, _state, StepCount);
    }

    /// <summary>The update rule: <paramref name="parameters"/> and <paramref name="state"/> in place.</summary>
    /// <param name="parameters">All parameters <c>(N)</c>.</param>
    /// <param name="gradients">Their gradients <c>(N)</c>.</param>
    /// <param name="state"><see cref="StateSlots"/> slots of <c>N</c> values each.</param>
    /// <param name="step">This step's number, from 1.</param>
    protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, long step);
}
