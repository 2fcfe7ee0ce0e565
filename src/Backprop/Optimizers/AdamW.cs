using System.Globalization;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, <c>θ ← θ (1 − lr · λ)</c> before the Adam step.</summary>
/// <remarks>PyTorch's <c>torch.optim.AdamW</c>. State: first and second moments (two slots).</remarks>
public sealed class AdamW<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The weight decay used when none is given: 0.01, PyTorch's AdamW default.</summary>
    public const double DefaultWeightDecay = 0.01;

    /// <summary>AdamW with <paramref name="options"/>, or the defaults (lr 1e-3, β 0.9/0.999, ε 1e-8, weight decay 0.01).</summary>
    public AdamW(AdamOptions? options = null)
        : base(T.CreateChecked(Adam<T>.Checked(options ?? new AdamOptions(WeightDecay: DefaultWeightDecay)).LearningRate), stateSlots: 2)
    {
        Options = Adam<T>.Checked(options ?? new AdamOptions(WeightDecay: DefaultWeightDecay));
    }

    /// <summary>The settings this optimizer was created with (its <see cref="Optimizer{T}.LearningRate"/> may since have changed).</summary>
    public AdamOptions Options { get; }

    // θ (n), g (n), state: m (N), v (N), of which the range's n from offset; θ ← θ (1 − lr λ), then the Adam step without L2
    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, int offset, long step, T learningRate)
    {
        T decay = T.One - learningRate * T.CreateChecked(Options.WeightDecay);
        System.Numerics.Tensors.TensorPrimitives.Multiply(parameters, decay, parameters);
        AdamStep.Apply(parameters, gradients, Slot(state, 0, offset, parameters.Length), Slot(state, 1, offset, parameters.Length), step, learningRate, Options, T.Zero);
    }

    /// <inheritdoc/>
    public override double WeightDecayPerStep => double.CreateChecked(LearningRate) * Options.WeightDecay;

    /// <summary>For example <c>AdamW(lr: 0.001, weight decay: 0.01)</c>.</summary>
    public override string ToString() =>
        $"AdamW(lr: {LearningRate.ToString(null, CultureInfo.InvariantCulture)}, weight decay: {Options.WeightDecay.ToString(CultureInfo.InvariantCulture)})";
}
