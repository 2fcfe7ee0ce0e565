namespace Backprop.Serialization;

/// <summary>The content of a safetensors file: its tensors, in file order, and its <c>__metadata__</c> entries.</summary>
public sealed class SafeTensorsDocument
{
    private readonly Dictionary<string, SafeTensor> _byName;

    /// <summary>Pairs <paramref name="tensors"/> (names must be unique) with <paramref name="metadata"/>.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public SafeTensorsDocument(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        _byName = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (SafeTensor tensor in tensors)
        {
            if (!_byName.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"Expected unique tensor names. Received '{tensor.Name}' twice.", nameof(tensors));
            }
        }
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Every tensor, in the order of their data in the file.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty if the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public SafeTensor? Find(string name) => _byName.GetValueOrDefault(name);
}
