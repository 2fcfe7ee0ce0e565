using System.Numerics;
using Backprop.Training;
using Backprop.Layers;

namespace Backprop.Serialization;

/// <summary>A model read back from a model file: the rebuilt <see cref="Sequential{T}"/> and everything stored beside it.</summary>
public sealed class SavedModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal SavedModel(Sequential<T> model, ModelArchitecture architecture, int formatVersion, string libraryVersion,
        TensorDType storedDType, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafeTensor> extraTensors)
    {
        Model = model;
        Architecture = architecture;
        FormatVersion = formatVersion;
        LibraryVersion = libraryVersion;
        StoredDType = storedDType;
        Metadata = metadata;
        ExtraTensors = extraTensors;
    }

    /// <summary>The model, with the stored parameters.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The architecture the model was rebuilt from.</summary>
    public ModelArchitecture Architecture { get; }

    /// <summary>The file's format version (at most <see cref="ModelFile.FormatVersion"/>).</summary>
    public int FormatVersion { get; }

    /// <summary>The version of Backprop that wrote the file.</summary>
    public string LibraryVersion { get; }

    /// <summary>The precision the layers were stored in (converted to <typeparamref name="T"/> if different).</summary>
    public TensorDType StoredDType { get; }

    /// <summary>Every metadata entry, the reserved ones (<c>format</c>, <c>format_version</c>, <c>architecture</c>, <c>library_version</c>) included.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensors other than the layers' (for example <c>optimizer.state</c>), in file order.</summary>
    public IReadOnlyList<SafeTensor> ExtraTensors { get; }

    /// <summary>The extra tensor named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public SafeTensor? FindTensor(string name) => ExtraTensors.FirstOrDefault(t => t.Name == name);
}
