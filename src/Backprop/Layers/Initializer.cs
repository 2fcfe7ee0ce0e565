using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Layers;

/// <summary>Draws a layer's initial weight and bias according to an <see cref="Initialization"/>.</summary>
internal static class Initializer
{
    // weight (O, I) with fan_in = I, fan_out = O; bias (O)
    public static void Fill<T>(Initialization initialization, Span<T> weight, Span<T> bias, int fanIn, int fanOut, Rng rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (initialization)
        {
            case Initialization.Normal:
                FillNormal(weight, 1.0, rng);
                FillNormal(bias, 1.0, rng);
                break;
            case Initialization.XavierUniform:
                FillUniform(weight, Math.Sqrt(6.0 / (fanIn + fanOut)), rng);
                bias.Clear();
                break;
            case Initialization.HeNormal:
                FillNormal(weight, Math.Sqrt(2.0 / fanIn), rng);
                bias.Clear();
                break;
            case Initialization.PyTorch:
                double bound = 1.0 / Math.Sqrt(fanIn);
                FillUniform(weight, bound, rng);
                FillUniform(bias, bound, rng);
                break;
            case Initialization.Ntk:
                FillNormal(weight, 1.0 / Math.Sqrt(fanIn), rng);
                FillNormal(bias, 1.0, rng);
                break;
            case Initialization.Zeros:
                weight.Clear();
                bias.Clear();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Expected a defined initialization.");
        }
    }

    private static void FillNormal<T>(Span<T> values, double standardDeviation, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(standardDeviation * rng.NextNormal());
    }

    private static void FillUniform<T>(Span<T> values, double bound, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(rng.NextUniform(-bound, bound));
    }
}
