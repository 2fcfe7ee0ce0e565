using System.Globalization;
using System.Numerics;

namespace Backprop.Losses;

/// <summary>Huber loss: quadratic for small errors, linear for large ones, so outliers pull less than with squared error.</summary>
/// <remarks>
/// With <c>d = x − y</c>: <c>ℓ = ½ d²</c> when <c>|d| &lt; δ</c>, else <c>δ (|d| − ½ δ)</c>; averaged over all elements.
/// PyTorch's <c>nn.HuberLoss(delta=δ)</c> exactly (default δ = 1); not <c>SmoothL1Loss</c>, which divides by δ.
/// </remarks>
public sealed class Huber<T> : ElementwiseLoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _delta;
    private static readonly T Half = T.CreateChecked(0.5);

    /// <summary>Creates the loss with threshold <paramref name="delta"/> &gt; 0.</summary>
    public Huber(double delta = 1.0)
    {
        if (!(delta > 0) || !double.IsFinite(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Expected a finite delta > 0.");
        }
        Delta = delta;
        _delta = T.CreateChecked(delta);
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    // ℓ = ½ d² if |d| < δ else δ (|d| − ½ δ);  ∂ℓ/∂x = d if |d| < δ else δ · sign(d)
    /// <inheritdoc/>
    protected override T Evaluate(T output, T target, out T derivative)
    {
        T difference = output - target, magnitude = T.Abs(difference);
        if (magnitude < _delta)
        {
            derivative = difference;
            return Half * difference * difference;
        }
        derivative = T.CopySign(_delta, difference);
        return _delta * (magnitude - Half * _delta);
    }

    /// <summary>For example <c>Huber(delta: 1)</c>.</summary>
    public override string ToString() => $"Huber(delta: {Delta.ToString(CultureInfo.InvariantCulture)})";
}
