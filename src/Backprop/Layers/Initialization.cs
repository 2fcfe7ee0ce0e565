namespace Backprop.Layers;

/// <summary>How a <see cref="Dense{T}"/> layer draws its initial weight and bias.</summary>
public enum Initialization
{
    /// <summary>
    /// PyTorch's <c>nn.Linear</c> default: weight and bias uniform in <c>±1/√I</c>
    /// (Kaiming-uniform with <c>a = √5</c>, which reduces to that bound).
    /// </summary>
    PyTorch,

    /// <summary>Weight and bias from the standard normal distribution, as the original notebook does (<c>np.random.randn</c>).</summary>
    Normal,
}
