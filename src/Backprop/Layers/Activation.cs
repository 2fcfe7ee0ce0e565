namespace Backprop.Layers;

/// <summary>The activation placed after every hidden <see cref="Dense{T}"/> layer of an MLP built by <see cref="Mlp"/>.</summary>
public enum Activation
{
    /// <summary><see cref="Relu{T}"/>: <c>max(x, 0)</c>. The default everywhere (scikit-learn, Keras examples, PyTorch tutorials).</summary>
    Relu,

    /// <summary><see cref="LeakyRelu{T}"/> with slope 0.01.</summary>
    LeakyRelu,

    /// <summary><see cref="Tanh{T}"/>.</summary>
    Tanh,

    /// <summary><see cref="Sigmoid{T}"/> (scikit-learn's 'logistic').</summary>
    Sigmoid,

    /// <summary><see cref="Gelu{T}"/>, exact erf form.</summary>
    Gelu,

    /// <summary><see cref="Selu{T}"/>: scaled exponential linear unit (self-normalizing networks).</summary>
    Selu,

    /// <summary><see cref="Mish{T}"/>: <c>x · tanh(softplus(x))</c>.</summary>
    Mish,
}
