using System.Numerics;
using Backprop.Layers;

namespace Backprop.Serialization;

/// <summary>The one place that maps layer objects to <see cref="LayerDescription"/>s and back, and names their parameter tensors.</summary>
/// <remarks>
/// A new layer kind becomes saveable by adding a case to <see cref="Describe{T}"/>, <see cref="Create{T}"/> and, if it has
/// parameters, <see cref="ParameterTensors"/>. Parameter tensors are listed in the order they lie in the layer's slice of
/// <see cref="Layers.Sequential{T}.Parameters"/>, which is how the model file reads and writes them.
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
            GroupedDense<T> grouped => new LayerDescription("GroupedDense", grouped.InputFeatures, grouped.OutputFeatures, grouped.Initialization.ToString(),
                Options: new Dictionary<string, double> { ["groups"] = grouped.Groups }),
            PeriodicEmbedding<T> periodic => new LayerDescription("PeriodicEmbedding", periodic.InputFeatures, periodic.OutputFeatures,
                Options: new Dictionary<string, double> { ["frequencies"] = periodic.Frequencies, ["dimensions"] = periodic.Dimensions, ["sigma"] = periodic.Sigma }),
            Relu<T> relu => new LayerDescription("Relu", relu.InputFeatures, relu.OutputFeatures),
            LeakyRelu<T> leaky => new LayerDescription("LeakyRelu", leaky.InputFeatures, leaky.OutputFeatures,
                Options: new Dictionary<string, double> { ["negative_slope"] = leaky.NegativeSlope }),
            Tanh<T> tanh => new LayerDescription("Tanh", tanh.InputFeatures, tanh.OutputFeatures),
            Sigmoid<T> sigmoid => new LayerDescription("Sigmoid", sigmoid.InputFeatures, sigmoid.OutputFeatures),
            Gelu<T> gelu => new LayerDescription("Gelu", gelu.InputFeatures, gelu.OutputFeatures),
            Selu<T> selu => new LayerDescription("Selu", selu.InputFeatures, selu.OutputFeatures),
            Mish<T> mish => new LayerDescription("Mish", mish.InputFeatures, mish.OutputFeatures),
            FeatureScale<T> scale => new LayerDescription("FeatureScale", scale.InputFeatures, scale.OutputFeatures),
            Dropout<T> dropout => new LayerDescription("Dropout", dropout.InputFeatures, dropout.OutputFeatures,
                Options: new Dictionary<string, double> { ["p"] = dropout.Probability }),
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
                return new Dense<T>(description.InputFeatures, description.OutputFeatures, InitializationOf(description));
            case "GroupedDense":
                int groups = Groups(description);
                return new GroupedDense<T>(groups, description.InputFeatures / groups, description.OutputFeatures / groups, InitializationOf(description));
            case "PeriodicEmbedding":
            {
                (int frequencies, int dimensions) = EmbeddingShape(description);
                double sigma = Finite(description, "sigma", PeriodicEmbedding<T>.DefaultSigma);
                if (!(sigma > 0)) throw new BackpropException($"Expected a positive 'sigma' for {description}. Received: {sigma}.");
                return new PeriodicEmbedding<T>(description.InputFeatures, frequencies, dimensions, sigma);
            }
            case "Relu":
                return new Relu<T>();
            case "LeakyRelu":
                return new LeakyRelu<T>(Finite(description, "negative_slope", 0.01));
            case "Tanh":
                return new Tanh<T>();
            case "Sigmoid":
                return new Sigmoid<T>();
            case "Gelu":
                return new Gelu<T>();
            case "Selu":
                return new Selu<T>();
            case "Mish":
                return new Mish<T>();
            case "FeatureScale":
                // One factor per feature: a description that changes the width describes no such layer.
                if (description.InputFeatures != description.OutputFeatures)
                {
                    throw new BackpropException($"Expected a FeatureScale with as many outputs as inputs. Received: {description}.");
                }
                return new FeatureScale<T>(description.InputFeatures);
            case "Dropout":
                double p = Finite(description, "p", 0.5);
                if (!(p >= 0 && p < 1)) throw new BackpropException($"Expected a dropout probability in [0, 1) for {description}. Received: {p}.");
                return new Dropout<T>(p);
            default:
                throw new BackpropException($"Unknown layer type '{description.Type}'; this version of Backprop knows Dense, GroupedDense, FeatureScale, PeriodicEmbedding, Relu, LeakyRelu, Tanh, Sigmoid, Gelu, Selu, Mish and Dropout.");
        }
    }

    private static Initialization InitializationOf(LayerDescription description)
    {
        Initialization initialization = Initialization.PyTorch;
        if (description.Initialization is not null && !Enum.TryParse(description.Initialization, ignoreCase: false, out initialization))
        {
            throw new BackpropException($"Unknown initialization '{description.Initialization}' for {description}; expected one of {string.Join(", ", Enum.GetNames<Initialization>())}.");
        }
        return initialization;
    }

    // The group count of a GroupedDense: a whole number ≥ 1 that divides both widths (a description that does not fit is refused
    // here, before any tensor is read).
    private static int Groups(LayerDescription description)
    {
        double groups = description.Option("groups", double.NaN);
        if (!(groups >= 1 && groups <= int.MaxValue && groups == Math.Floor(groups))
            || description.InputFeatures % (int)groups != 0 || description.OutputFeatures % (int)groups != 0)
        {
            throw new BackpropException($"Expected a whole number of groups that divides the widths of {description}. Received: {groups}.");
        }
        return (int)groups;
    }

    // The frequencies K and dimensions D of a PeriodicEmbedding: whole numbers ≥ 1 with out_features = in_features·(1 + D).
    private static (int Frequencies, int Dimensions) EmbeddingShape(LayerDescription description)
    {
        double k = description.Option("frequencies", double.NaN), d = description.Option("dimensions", double.NaN);
        bool whole = k >= 1 && k <= 1 << 20 && k == Math.Floor(k) && d >= 1 && d <= 1 << 20 && d == Math.Floor(d);
        if (!whole || (long)description.InputFeatures * (1 + (long)d) != description.OutputFeatures)
        {
            throw new BackpropException($"Expected whole 'frequencies' and 'dimensions' with out_features = in_features × (1 + dimensions) for {description}. Received: {k} and {d}.");
        }
        return ((int)k, (int)d);
    }

    private static double Finite(LayerDescription description, string option, double fallback)
    {
        double value = description.Option(option, fallback);
        return double.IsFinite(value) ? value : throw new BackpropException($"Expected a finite '{option}' for {description}. Received: {value}.");
    }

    /// <summary>The parameter tensors of a layer: name suffix (<c>weight</c>, <c>bias</c>) and shape, in parameter-block order.</summary>
    /// <remarks>
    /// Dense: <c>weight (O, I)</c> then <c>bias (O)</c>, as PyTorch's <c>nn.Linear</c>. GroupedDense: <c>weight (G, O, I)</c> then
    /// <c>bias (G, O)</c>, each group an <c>nn.Linear</c>. FeatureScale: <c>weight (I)</c>, one
    /// factor per feature. Activations and dropout: none.
    /// </remarks>
    public static IReadOnlyList<(string Suffix, int[] Shape)> ParameterTensors(LayerDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return description.Type switch
        {
            "Dense" => [("weight", [description.OutputFeatures, description.InputFeatures]), ("bias", [description.OutputFeatures])],
            "GroupedDense" => Groups(description) is int g
                ? [("weight", [g, description.OutputFeatures / g, description.InputFeatures / g]), ("bias", [g, description.OutputFeatures / g])]
                : [],
            "FeatureScale" => [("weight", [description.InputFeatures])],
            "PeriodicEmbedding" => EmbeddingShape(description) is (int k, int d)
                ? [("frequencies", [description.InputFeatures, k]), ("phases", [description.InputFeatures, k]),
                   ("weight", [description.InputFeatures, d, k]), ("bias", [description.InputFeatures, d])]
                : [],
            _ => [],
        };
    }

    /// <summary>Number of trainable parameters of a layer: the sum of its <see cref="ParameterTensors"/> sizes (as <see cref="long"/>, never overflowing).</summary>
    public static long ParameterCount(LayerDescription description)
    {
        long count = 0;
        foreach ((string _, int[] shape) in ParameterTensors(description))
        {
            long elements = 1;
            foreach (int dimension in shape) elements *= dimension;
            count += elements;
        }
        return count;
    }
}
