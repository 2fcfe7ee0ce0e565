namespace Backprop.Layers;

/// <summary>The checks every layer with parameters makes, once per call, before its loops run unchecked.</summary>
internal static class LayerChecks
{
    /// <summary>Build: the input width the layer was made for.</summary>
    public static void Width(object layer, int expected, int received)
    {
        if (received != expected)
        {
            throw new ArgumentException($"{layer} expected {expected} input features. Received: {received}.", "inputFeatures");
        }
    }

    /// <summary>Bind: blocks long enough for the layer's <paramref name="count"/> parameters from <paramref name="offset"/>.</summary>
    public static void Blocks<T>(T[] parameters, T[] gradients, int offset, int count)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (offset < 0 || parameters.Length - offset < count || gradients.Length - offset < count)
        {
            throw new ArgumentException(
                $"Expected parameter and gradient blocks of at least {offset} + {count} values. Received: {parameters.Length} and {gradients.Length}.");
        }
    }

    /// <summary>A buffer of at least <paramref name="expected"/> values.</summary>
    public static void Length<T>(ReadOnlySpan<T> values, int expected, string name)
    {
        if (values.Length < expected)
        {
            throw new ArgumentException($"Expected at least {expected} values. Received: {values.Length}.", name);
        }
    }

    /// <summary>Parameters bound (the layer is in a <see cref="Sequential{T}"/>).</summary>
    public static void Bound<T>(object layer, T[] parameters)
    {
        if (parameters.Length == 0)
        {
            throw new InvalidOperationException($"{layer} has no parameters: build it into a Sequential model before running it.");
        }
    }
}
