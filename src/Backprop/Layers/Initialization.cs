namespace Backprop.Layers;

/// <summary>How a <see cref="Dense{T}"/> layer draws its initial weight <c>(O, I)</c> and bias <c>(O)</c>; <c>fan_in = I</c>, <c>fan_out = O</c>.</summary>
public enum Initialization
{
    /// <summary>
    /// PyTorch's <c>nn.Linear</c> default: weight and bias uniform in <c>±1/√fan_in</c>
    /// (Kaiming-uniform with <c>a = √5</c>, which reduces to that bound). A good default for any activation.
    /// </summary>
    PyTorch,

    /// <summary>Weight and bias from the standard normal distribution, as the original notebook does (<c>np.random.randn</c>).</summary>
    /// <remarks>Too large for wide layers (the output variance grows with <c>fan_in</c>); kept to reproduce the notebook.</remarks>
    Normal,

    /// <summary>
    /// Xavier/Glorot uniform: weight uniform in <c>±√(6 / (fan_in + fan_out))</c> (gain 1), bias zero. Keeps the variance of
    /// activations and gradients steady through tanh and sigmoid layers. PyTorch's <c>xavier_uniform_</c>, Keras' <c>glorot_uniform</c>
    /// (Keras' Dense default).
    /// </summary>
    XavierUniform,

    /// <summary>
    /// He/Kaiming normal: weight normal with standard deviation <c>√(2 / fan_in)</c> (fan_in mode, ReLU gain √2), bias zero.
    /// Suited to ReLU-family layers. PyTorch's <c>kaiming_normal_(nonlinearity='relu')</c>; Keras' <c>he_normal</c> truncates
    /// the normal, this does not.
    /// </summary>
    HeNormal,

    /// <summary>
    /// Weight normal with variance <c>1 / fan_in</c>, bias standard normal: the neural-tangent parametrization's standard-normal
    /// parameters (RealMLP, Holzmüller et al. 2024) written in standard form, where the <c>1/√fan_in</c> factor of its forward pass
    /// is folded into the weights. With Adam, the parametrization's steps follow from per-layer rates
    /// (<see cref="Optimizers.LearningRateScale"/>).
    /// </summary>
    Ntk,

    /// <summary>Weight and bias zero: the output layer of RealMLP, so that training starts from a constant prediction.</summary>
    Zeros,
}
