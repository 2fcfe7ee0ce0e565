using System.Globalization;
using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Inverted dropout: while training, each element is zeroed with probability <c>p</c> and the survivors scaled by <c>1/(1−p)</c>.</summary>
/// <remarks>
/// input <c>(B, F)</c> → output <c>(B, F)</c>; no parameters. Active only when <see cref="Forward"/> receives the run's generator
/// (training); at inference (<c>training</c> null) it is the identity, and because of the <c>1/(1−p)</c> scaling during training
/// nothing needs rescaling then (PyTorch's <c>nn.Dropout</c>). The layer keeps the mask of its last training forward so the
/// backward pass multiplies by exactly the same mask; that mask is the one piece of per-batch state a layer holds, and it is
/// only touched while training, so prediction from many threads stays safe.
/// </remarks>
public sealed class Dropout<T> : ActivationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _mask = [];
    private bool _maskActive;

    /// <summary>Creates the layer with drop probability <paramref name="probability"/> in <c>[0, 1)</c>.</summary>
    public Dropout(double probability = 0.5)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Expected a drop probability in [0, 1).");
        }
        Probability = probability;
    }

    /// <summary>Probability <c>p</c> that an element is zeroed while training.</summary>
    public double Probability { get; }

    // input (B, F) -> output (B, F); training: output = input ⊙ mask, mask ∈ {0, 1/(1−p)}
    /// <inheritdoc/>
    public override void Forward(Span<T> output, ReadOnlySpan<T> input, int batch, Rng? training)
    {
        int n = batch * InputFeatures;
        _maskActive = training is not null && Probability > 0;
        if (!_maskActive)
        {
            input[..n].CopyTo(output);
            return;
        }
        if (_mask.Length < n)
        {
            _mask = new T[n];
        }
        T keptScale = T.CreateChecked(1.0 / (1.0 - Probability));
        for (int k = 0; k < n; k++)
        {
            T m = training!.NextDouble() < Probability ? T.Zero : keptScale;
            _mask[k] = m;
            output[k] = input[k] * m;
        }
    }

    // forward was: output = input ⊙ mask (identity at inference), so
    // dinput = doutput ⊙ mask
    /// <inheritdoc/>
    public override void Backward(Span<T> dinput, ReadOnlySpan<T> doutput, ReadOnlySpan<T> input, ReadOnlySpan<T> output, int batch)
    {
        if (dinput.IsEmpty)
        {
            return;
        }
        int n = batch * InputFeatures;
        if (!_maskActive)
        {
            doutput[..n].CopyTo(dinput);
            return;
        }
        for (int k = 0; k < n; k++)
        {
            dinput[k] = doutput[k] * _mask[k];
        }
    }

    /// <inheritdoc/>
    protected override string Arguments => Probability.ToString(CultureInfo.InvariantCulture);
}
