namespace Backprop.Layers;

/// <summary>How the dense layers' parameters are scaled and stepped.</summary>
public enum Parametrization
{
    /// <summary>One learning rate for every parameter; weights drawn by the run's initialization.</summary>
    Standard,

    /// <summary>
    /// The neural-tangent parametrization (RealMLP, Holzmüller et al. 2024), written in standard form: weights drawn
    /// <c>N(0, 1/fan_in)</c> and biases <c>N(0, 1)</c> (<see cref="Initialization.Ntk"/>), and with Adam each weight steps at the rate
    /// divided by <c>√fan_in</c>, each bias at a tenth of it, a feature scaling at six times it: the same steps as RealMLP's layers,
    /// whose forward pass multiplies by <c>1/√fan_in</c>, because Adam's step does not depend on the scale of the gradient.
    /// </summary>
    Ntk,
}
