using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Optimizers;

/// <summary>Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay (PyTorch's <c>torch.optim.SGD</c>).</summary>
/// <remarks>
/// Per step, with <c>g</c> the gradient: <c>g ← g + λθ</c>; with momentum <c>b ← g</c> at step 1, else <c>b ← μ b + (1 − dampening) g</c>,
/// then <c>g ← g + μ b</c> (Nesterov) or <c>g ← b</c>; finally <c>θ ← θ − lr · g</c>. State: the momentum buffer (one slot) when μ &gt; 0.
/// </remarks>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum, _dampening, _weightDecay;

    /// <summary>Plain SGD, <c>θ ← θ − lr · g</c>, with learning rate <paramref name="learningRate"/> (the notebook uses 0.01).</summary>
    public Sgd(T learningRate) : base(learningRate, stateSlots: 0)
    {
        Options = new SgdOptions(double.CreateChecked(learningRate));
    }

    /// <summary>SGD with the settings of <paramref name="options"/>.</summary>
    public Sgd(SgdOptions options) : base(T.CreateChecked(Validated(options).LearningRate), stateSlots: options.Momentum > 0 ? 1 : 0)
    {
        Options = options;
        _momentum = T.CreateChecked(options.Momentum);
        _dampening = T.CreateChecked(options.Dampening);
        _weightDecay = T.CreateChecked(options.WeightDecay);
    }

    /// <summary>The settings this optimizer was created with (its <see cref="Optimizer{T}.LearningRate"/> may since have changed).</summary>
    public SgdOptions Options { get; }

    // θ (n), g (n), state: momentum buffer b (N) when μ > 0, of which the range's n from offset
    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, int offset, long step, T learningRate)
    {
        if (StateSlots == 0 && _weightDecay == T.Zero)
        {
            TensorPrimitives.MultiplyAdd(gradients, -learningRate, parameters, parameters);
            return;
        }
        T lr = learningRate, keep = T.One - _dampening;
        Span<T> buffers = StateSlots == 1 ? Slot(state, 0, offset, parameters.Length) : [];
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i] + _weightDecay * parameters[i];
            if (StateSlots == 1)
            {
                T buffer = step == 1 ? g : _momentum * buffers[i] + keep * g;
                buffers[i] = buffer;
                g = Options.Nesterov ? g + _momentum * buffer : buffer;
            }
            parameters[i] -= lr * g;
        }
    }

    private static SgdOptions Validated(SgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <inheritdoc/>
    public override double WeightDecayPerStep => double.CreateChecked(LearningRate) * Options.WeightDecay;

    /// <summary>For example <c>Sgd(lr: 0.01)</c> or <c>Sgd(lr: 0.1, momentum: 0.9, nesterov)</c>.</summary>
    public override string ToString()
    {
        string text = $"Sgd(lr: {LearningRate.ToString(null, CultureInfo.InvariantCulture)}";
        if (Options.Momentum > 0) text += $", momentum: {Options.Momentum.ToString(CultureInfo.InvariantCulture)}";
        if (Options.Nesterov) text += ", nesterov";
        if (Options.WeightDecay > 0) text += $", weight decay: {Options.WeightDecay.ToString(CultureInfo.InvariantCulture)}";
        return text + ")";
    }
}
