using System.Numerics;
using Backprop.Layers;

namespace Backprop.Serialization;

/// <summary>The one place that maps layer objects to <see cref="LayerDescription"/>s and back, and names their parameter tensors.</summary>
/// <remarks>
/// A new layer kind becomes saveable by adding a case to <see cref="Describe{T}"/>, <see cref="Create{T}"/> and, if it has
/// parameters, <see cref="ParameterTensors"/>. Parameter tensors are listed in the order they lie in the layer's slice of
/// <see cref="Training.Sequential{T}.Parameters"/>, which is how the model file reads and writes them.
/// </remarks>
public static class LayerCatalog
{
    /// <summary>Describes <paramref name="layer"/> (built) as plain data.</summary>
    /// <exception cref="NotSupportedException">The catalog does not know this layer kind.</exception>
    public static LayerDescription Describe<T>(ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer switch
        {
            Dense<T> dense => new LayerDescription("Dense", dense.InputFeatures, dense.OutputFeatures, dense.Initialization.ToString()),
            Relu<T> relu => new LayerDescription("Relu", relu.InputFeatures, relu.OutputFeatures),
            _ => throw new NotSupportedException($"Cannot describe layer {layer} ({layer.GetType().Name}) for a model file: add it to {nameof(LayerCatalog)}."),
        };
    }

    /// <summary>A new, unbuilt layer for <paramref name="description"/>; its parameters are set by the caller.</summary>
    /// <exception cref="BackpropException">The layer kind or its initialization is unknown to this version of Backprop.</exception>
    public static ILayer<T> Create<T>(LayerDescription description) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(description);
        switch (description.Type)
        {
            case "Dense":
                Initialization initialization = Initialization.PyTorch;
                if (description.Initialization is not null && !Enum.TryParse(description.Initialization, ignoreCase: false, out initialization))
                {
                    throw new BackpropException($"Unknown initialization '{description.Initialization}' for {description}; expected one of {string.Join(", ", Enum.GetNames<Initialization>())}.");
                }
                return new Dense<T>(description.InputFeatures, description.OutputFeatures, initialization);
            case "Relu":
                return new Relu<T>();
            default:
                throw new BackpropException($"Unknown layer type '{description.Type}'; this version of Backprop knows Dense and Relu.");
        }
    }

    /// <summary>The parameter tensors of a layer: name suffix (<c>weight</c>, <c>bias</c>) and shape, in parameter-block order.</summary>
    /// <remarks>Dense: <c>weight (O, I)</c> then <c>bias (O)</c>, as PyTorch's <c>nn.Linear</c>. Activations: none.</remarks>
    public static IReadOnlyList<(string Suffix, int[] Shape)> ParameterTensors(LayerDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.Type == "Dense"
            ? [("weight", [description.OutputFeatures, description.InputFeatures]), ("bias", [description.OutputFeatures])]
            : [];
    }

    /// <summary>Number of trainable parameters of a layer: the sum of its <see cref="ParameterTensors"/> sizes (as <see cref="long"/>, never overflowing).</summary>
    public static long ParameterCount(LayerDescription description) =>
        ParameterTensors(description).Sum(tensor => tensor.Shape.Aggregate(1L, (product, dimension) => product * dimension));
}
