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

    /// <summary>
    /// How much of each weight the weight decay alone takes away in one step at the current <see cref="LearningRate"/>:
    /// <c>lr · λ</c> where it scales the weights (<c>θ ← θ (1 − lr · λ)</c>: SGD's L2 term and AdamW's decoupled decay); 0 where it
    /// does not (none, or Adam's L2 term, which the second moment normalizes). Past 2 the weights change sign and grow every step.
    /// </summary>
    public virtual double WeightDecayPerStep => 0;

    /// <summary>Steps taken so far; the first call of <see cref="Step"/> is step 1.</summary>
    public long StepCount { get; set; }

    /// <summary>Number of state values kept per parameter.</summary>
    public int StateSlots { get; }

    /// <summary>
    /// Ranges of the parameter block that step at a multiple of <see cref="LearningRate"/> (per-layer rates); empty (default) for one
    /// rate everywhere. Ranges must not overlap; they may be given in any order.
    /// </summary>
    /// <exception cref="ArgumentException">A range is negative or overlaps another, or a factor is not finite and ≥ 0.</exception>
    public IReadOnlyList<LearningRateScale> LearningRateScales
    {
        get => _scales;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                // Every parameter at the optimizer's rate (all but the ntk parametrization): no sorter to compile for nothing.
                _scales = [];
                return;
            }
            LearningRateScale[] sorted = [.. value.OrderBy(s => s.Offset)];
            for (int i = 0; i < sorted.Length; i++)
            {
                LearningRateScale s = sorted[i];
                if (s.Offset < 0 || s.Length < 0 || !(s.Factor >= 0) || !double.IsFinite(s.Factor)
                    || (i > 0 && (long)sorted[i - 1].Offset + sorted[i - 1].Length > s.Offset))
                {
                    throw new ArgumentException($"Expected non-overlapping ranges with finite factors ≥ 0. Received: {s}.", nameof(value));
                }
            }
            _scales = sorted;
        }
    }

    private LearningRateScale[] _scales = [];

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
        if (_scales.Length == 0)
        {
            Update(parameters, gradients, _state, 0, StepCount, LearningRate);
            return;
        }
        // The block in order: each scaled range at its rate, the gaps between them at the optimizer's.
        int at = 0;
        foreach (LearningRateScale scale in _scales)
        {
            int start = Math.Min(scale.Offset, parameters.Length), end = (int)Math.Min((long)scale.Offset + scale.Length, parameters.Length);
            UpdateRange(parameters, gradients, at, start, LearningRate);
            UpdateRange(parameters, gradients, start, end, LearningRate * T.CreateChecked(scale.Factor));
            at = end;
        }
        UpdateRange(parameters, gradients, at, parameters.Length, LearningRate);
    }

    private void UpdateRange(Span<T> parameters, ReadOnlySpan<T> gradients, int start, int end, T learningRate)
    {
        if (end > start)
        {
            Update(parameters[start..end], gradients[start..end], _state, start, StepCount, learningRate);
        }
    }

    /// <summary>The update rule, for one range of the parameters: <paramref name="parameters"/> and the range's state in place.</summary>
    /// <param name="parameters">The range's parameters <c>(n)</c>: all <c>N</c>, or a range with a rate of its own (<see cref="LearningRateScales"/>).</param>
    /// <param name="gradients">Their gradients <c>(n)</c>.</param>
    /// <param name="state">The whole state block, <see cref="StateSlots"/> slots of <c>N</c> values each; <see cref="Slot"/> finds the range's part.</param>
    /// <param name="offset">Where the range starts in the block.</param>
    /// <param name="step">This step's number, from 1.</param>
    /// <param name="learningRate">The range's rate: <see cref="LearningRate"/>, times its factor.</param>
    protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, int offset, long step, T learningRate);

    /// <summary>The values of slot <paramref name="slot"/> (for example Adam's second moments) for the <paramref name="length"/> parameters from <paramref name="offset"/>.</summary>
    protected Span<T> Slot(Span<T> state, int slot, int offset, int length) => state.Slice(slot * (state.Length / StateSlots) + offset, length);
}
