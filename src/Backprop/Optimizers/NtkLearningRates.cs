using System.Numerics;
using Backprop.Layers;

namespace Backprop.Optimizers;

/// <summary>The per-layer learning rates of the neural-tangent parametrization (<see cref="Parametrization.Ntk"/>), for Adam.</summary>
/// <remarks>
/// RealMLP's dense layers compute <c>x·W/√fan_in + b</c> with standard-normal <c>W</c> and <c>b</c>, and step all of them at one rate
/// (biases at a tenth, its scaling layer at six times). Written in standard form, <c>W' = W/√fan_in</c>: the network is the same,
/// and since Adam's step hardly depends on the gradient's scale, <c>W</c>'s step of <c>lr</c> is a step of <c>lr/√fan_in</c> for
/// <c>W'</c>. So: weights at <c>lr/√fan_in</c>, biases at <c>lr/10</c>, feature scales at <c>6·lr</c>.
/// </remarks>
public static class NtkLearningRates
{
    /// <summary>Multiplier of a bias's rate.</summary>
    public const double BiasFactor = 0.1;

    /// <summary>Multiplier of a feature scale's rate.</summary>
    public const double FeatureScaleFactor = 6;

    /// <summary>The ranges of <paramref name="network"/>'s parameter block with their rate multipliers.</summary>
    public static LearningRateScale[] For<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var scales = new List<LearningRateScale>();
        int offset = 0;
        foreach (ILayer<T> layer in network.Layers)
        {
            switch (layer)
            {
                case Dense<T> dense:
                    // Parameter block order: weight (O, I), then bias (O).
                    int weights = dense.OutputFeatures * dense.InputFeatures;
                    scales.Add(new LearningRateScale(offset, weights, 1 / Math.Sqrt(dense.InputFeatures)));
                    scales.Add(new LearningRateScale(offset + weights, dense.OutputFeatures, BiasFactor));
                    break;
                case GroupedDense<T> grouped:
                    // Parameter block order: weights (G, O, I), then biases (G, O); each group's fan-in is I.
                    int groupWeights = grouped.Groups * grouped.OutputsPerGroup * grouped.InputsPerGroup;
                    scales.Add(new LearningRateScale(offset, groupWeights, 1 / Math.Sqrt(grouped.InputsPerGroup)));
                    scales.Add(new LearningRateScale(offset + groupWeights, grouped.OutputFeatures, BiasFactor));
                    break;
                case FeatureScale<T> scale:
                    scales.Add(new LearningRateScale(offset, scale.ParameterCount, FeatureScaleFactor));
                    break;
            }
            offset += layer.ParameterCount;
        }
        return [.. scales];
    }
}
