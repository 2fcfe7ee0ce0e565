using System.Globalization;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>Adam (Kingma &amp; Ba): per-parameter steps scaled by running estimates of the gradient's mean and uncentred variance.</summary>
/// <remarks>
/// PyTorch's <c>torch.optim.Adam</c> (no AMSGrad): weight decay, if any, is an L2 term added to the gradient, which Adam then
/// rescales; prefer <see cref="AdamW{T}"/> for decay that acts as intended. State: first and second moments (two slots).
/// </remarks>
public sealed class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _weightDecay;

    /// <summary>Adam with <paramref name="options"/>, or the defaults (lr 1e-3, β 0.9/0.999, ε 1e-8).</summary>
    public Adam(AdamOptions? options = null) : base(T.CreateChecked(Checked(options).LearningRate), stateSlots: 2)
    {
        Options = Checked(options);
        _weightDecay = T.CreateChecked(Options.WeightDecay);
    }

    /// <summary>The settings this optimizer was created with (its <see cref="Optimizer{T}.LearningRate"/> may since have changed).</summary>
    public AdamOptions Options { get; }

    // θ (n), g (n), state: m (N), v (N), of which the range's n from offset
    /// <inheritdoc/>
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, int offset, long step, T learningRate) =>
        AdamStep.Apply(parameters, gradients, Slot(state, 0, offset, parameters.Length), Slot(state, 1, offset, parameters.Length), step, learningRate, Options, _weightDecay);

    internal static AdamOptions Checked(AdamOptions? options)
    {
        options ??= new AdamOptions();
        options.Validate();
        return options;
    }

    /// <summary>For example <c>Adam(lr: 0.001)</c>.</summary>
    public override string ToString() =>
        $"Adam(lr: {LearningRate.ToString(null, CultureInfo.InvariantCulture)}"
        + (Options.WeightDecay > 0 ? $", weight decay: {Options.WeightDecay.ToString(CultureInfo.InvariantCulture)})" : ")");
}
