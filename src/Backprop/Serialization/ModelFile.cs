using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Backprop.Training;
using Backprop.Layers;

namespace Backprop.Serialization;

/// <summary>Saves a <see cref="Sequential{T}"/> as one self-describing safetensors file and loads it back bit for bit.</summary>
/// <remarks>
/// <para>
/// Tensors are named the PyTorch way, <c>layers.{k}.weight</c> <c>(O, I)</c> and <c>layers.{k}.bias</c> <c>(O)</c>, where
/// <c>k</c> counts every layer, activations included, as in an <c>nn.Sequential</c>. They are stored in the model's precision (F32 or F64).
/// </para>
/// <para>
/// Metadata: <c>format</c> = <c>backprop</c>, <c>format_version</c>, <c>architecture</c> (JSON, see <see cref="ModelArchitecture"/>),
/// <c>library_version</c>, plus the caller's entries (<see cref="ModelFileExtras"/>). Keys are written sorted, so the same model
/// gives the same bytes. Saving is atomic (<see cref="IO.AtomicFile"/>); loading validates the file (<see cref="SafeTensors"/>), then
/// every layer tensor's presence, shape and finiteness against the architecture.
/// </para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this Backprop writes, and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Value of the <c>format</c> metadata entry.</summary>
    public const string FormatName = "backprop";

    /// <summary>Metadata keys the model file owns; callers may not set them.</summary>
    public static IReadOnlyList<string> ReservedKeys { get; } = ["format", "format_version", "architecture", "library_version"];

    /// <summary>Name prefix of the layers' tensors (<c>layers.</c>).</summary>
    public const string LayerPrefix = "layers.";

    /// <summary>The version of this library, as written to <c>library_version</c>.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Saves <paramref name="model"/> and <paramref name="extras"/> to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="BackpropException">
    /// A parameter is NaN or infinite (such a model is never written), or the file could not be written; a previous file at
    /// <paramref name="path"/> is intact either way.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="extras"/> uses a reserved key or a <c>layers.</c> tensor name.</exception>
    public static void Save<T>(string path, Sequential<T> model, ModelFileExtras? extras = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (List<SafeTensor> tensors, Dictionary<string, string> metadata) = Compose(model, extras);
        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>The bytes <see cref="Save{T}"/> would write.</summary>
    public static byte[] ToBytes<T>(Sequential<T> model, ModelFileExtras? extras = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (List<SafeTensor> tensors, Dictionary<string, string> metadata) = Compose(model, extras);
        return SafeTensors.ToBytes(tensors, metadata);
    }

    /// <summary>The architecture of <paramref name="model"/> as plain data.</summary>
    /// <exception cref="NotSupportedException">A layer kind is unknown to <see cref="LayerCatalog"/>.</exception>
    public static ModelArchitecture Describe<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelArchitecture(model.InputFeatures, model.Layers.Select(LayerCatalog.Describe).ToArray());
    }

    /// <summary>Loads the model file at <paramref name="path"/> in precision <typeparamref name="T"/>.</summary>
    /// <remarks>If the file holds the other precision, values are converted (F32 → F64 exactly); use <see cref="StoredPrecision"/> to pick <typeparamref name="T"/>.</remarks>
    /// <exception cref="BackpropException">The file is missing, malformed, from a newer Backprop, or does not match its architecture.</exception>
    public static SavedModel<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T> =>
        FromDocument<T>(SafeTensors.Load(path), path);

    /// <summary>The precision the layers of a model file are stored in.</summary>
    /// <exception cref="BackpropException">The document has no layer tensors or mixes precisions.</exception>
    public static TensorDType StoredPrecision(SafeTensorsDocument document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        TensorDType[] dtypes = document.Tensors.Where(t => t.Name.StartsWith(LayerPrefix, StringComparison.Ordinal)).Select(t => t.DType).Distinct().ToArray();
        return dtypes.Length switch
        {
            1 => dtypes[0],
            0 => throw Invalid(source, "it holds no layer tensors (layers.*)"),
            _ => throw Invalid(source, "its layer tensors mix F32 and F64"),
        };
    }

    /// <summary>Rebuilds the model from a validated safetensors <paramref name="document"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="BackpropException">The document is not a Backprop model, is from a newer version, or does not match its architecture.</exception>
    public static SavedModel<T> FromDocument<T>(SafeTensorsDocument document, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(document);
        IReadOnlyDictionary<string, string> metadata = document.Metadata;
        if (!metadata.TryGetValue("format", out string? format) || format != FormatName)
        {
            throw Invalid(source, "it is a safetensors file but not a Backprop model (metadata 'format' is not 'backprop')");
        }
        if (!metadata.TryGetValue("format_version", out string? versionText)
            || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw Invalid(source, $"metadata 'format_version' is '{versionText}'; expected a positive integer");
        }
        if (version > FormatVersion)
        {
            throw new BackpropException($"Model file '{source}' has format version {version}, written by a newer Backprop ({metadata.GetValueOrDefault("library_version", "unknown")}); this Backprop {LibraryVersion} reads format version {FormatVersion} and older. Upgrade Backprop to load it.");
        }
        if (!metadata.TryGetValue("architecture", out string? architectureJson))
        {
            throw Invalid(source, "metadata 'architecture' is missing");
        }
        ModelArchitecture architecture = ModelArchitecture.Parse(architectureJson, source);
        TensorDType stored = StoredPrecision(document, source);

        // Check every expected tensor against the architecture before building anything: the parameter count is then
        // bounded by what the file really holds, never by what the architecture claims.
        var expected = new List<(int Layer, SafeTensor Tensor)>();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        bool anyParameters = false;
        for (int k = 0; k < architecture.Layers.Count; k++)
        {
            LayerDescription layer = architecture.Layers[k];
            IReadOnlyList<(string Suffix, int[] Shape)> parameters = LayerCatalog.ParameterTensors(layer);
            if (parameters.Count == 0 && layer.InputFeatures != layer.OutputFeatures)
            {
                throw Invalid(source, $"layer {k} ({layer}) has no parameters but changes the width");
            }
            foreach ((string suffix, int[] shape) in parameters)
            {
                string name = $"{LayerPrefix}{k}.{suffix}";
                expectedNames.Add(name);
                SafeTensor tensor = document.Find(name) ?? throw Invalid(source, $"tensor '{name}' of layer {k} ({layer}) is missing");
                if (!tensor.Shape.SequenceEqual(shape))
                {
                    throw Invalid(source, $"tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}]; the architecture ({layer}) needs [{string.Join(", ", shape)}]");
                }
                expected.Add((k, tensor));
                total += tensor.ElementCount;
                anyParameters = true;
            }
        }
        if (!anyParameters)
        {
            throw Invalid(source, "its architecture has no layer with parameters");
        }
        if (total > Array.MaxLength)
        {
            throw Invalid(source, $"it holds {total:N0} parameters, more than {Array.MaxLength:N0}");
        }
        var extras = new List<SafeTensor>();
        foreach (SafeTensor tensor in document.Tensors)
        {
            if (expectedNames.Contains(tensor.Name)) continue;
            if (tensor.Name.StartsWith(LayerPrefix, StringComparison.Ordinal))
            {
                throw Invalid(source, $"tensor '{tensor.Name}' matches no parameter of the architecture");
            }
            extras.Add(tensor);
        }

        Sequential<T> model;
        try
        {
            model = new Sequential<T>(architecture.InputFeatures, architecture.Layers.Select(LayerCatalog.Create<T>).ToArray());
        }
        catch (Exception ex) when (ex is ArgumentException or BackpropException)
        {
            throw Invalid(source, $"its architecture cannot be built ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
        }
        int[] layerOffsets = LayerOffsets(model);
        int[] filled = new int[model.Layers.Count];
        foreach ((int k, SafeTensor tensor) in expected)
        {
            Span<T> destination = model.Parameters.AsSpan(layerOffsets[k] + filled[k], tensor.ElementCount);
            tensor.CopyTo(destination);
            filled[k] += tensor.ElementCount;
            int bad = FirstNonFinite<T>(destination);
            if (bad >= 0)
            {
                throw Invalid(source, $"tensor '{tensor.Name}' holds {destination[bad]} at index {bad}; a model's parameters must be finite");
            }
        }
        return new SavedModel<T>(model, architecture, version, metadata.GetValueOrDefault("library_version", "unknown"), stored, metadata, extras);
    }

    // Once a save: compiled without optimization, as TabularTrainer's Run is (docs/performance.md, "Start-up"); the tensors'
    // bytes are copied by what it calls.
    [MethodImpl(MethodImplOptions.NoOptimization)]
    private static (List<SafeTensor>, Dictionary<string, string>) Compose<T>(Sequential<T> model, ModelFileExtras? extras)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        int bad = FirstNonFinite<T>(model.Parameters);
        if (bad >= 0)
        {
            // The reader refuses such a file, so writing one would only replace a good model with a useless one.
            throw new BackpropException($"Expected finite parameters to save. Received: {model.Parameters[bad]} at index {bad} of {model.ParameterCount}; the model was not written.");
        }
        ModelArchitecture architecture = Describe(model);
        List<SafeTensor> tensors = LayerTensors(model, architecture);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["architecture"] = architecture.ToJson(),
            ["library_version"] = LibraryVersion,
        };
        if (extras is not null)
        {
            foreach (KeyValuePair<string, string> entry in extras.Metadata)
            {
                if (!metadata.TryAdd(entry.Key, entry.Value))
                {
                    throw new ArgumentException($"Expected metadata keys other than {string.Join(", ", ReservedKeys)}. Received '{entry.Key}'.", nameof(extras));
                }
            }
            foreach (SafeTensor tensor in extras.Tensors)
            {
                if (tensor.Name.StartsWith(LayerPrefix, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Expected extra tensor names outside '{LayerPrefix}*'. Received '{tensor.Name}'.", nameof(extras));
                }
                tensors.Add(tensor);
            }
        }
        return (tensors, metadata);
    }

    /// <summary>The layers' parameters as tensors named <c>layers.{k}.weight</c>, <c>layers.{k}.bias</c>, in the model's precision.</summary>
    public static IReadOnlyList<SafeTensor> LayerTensors<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        return LayerTensors(model, Describe(model));
    }

    // Once a save, as Compose.
    [MethodImpl(MethodImplOptions.NoOptimization)]
    private static List<SafeTensor> LayerTensors<T>(Sequential<T> model, ModelArchitecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensors = new List<SafeTensor>();
        int[] layerOffsets = LayerOffsets(model);
        for (int k = 0; k < architecture.Layers.Count; k++)
        {
            int offset = layerOffsets[k];
            foreach ((string suffix, int[] shape) in LayerCatalog.ParameterTensors(architecture.Layers[k]))
            {
                int count = 1;
                foreach (int dimension in shape) count *= dimension;
                tensors.Add(SafeTensor.Create<T>($"{LayerPrefix}{k}.{suffix}", model.Parameters.AsSpan(offset, count), shape));
                offset += count;
            }
        }
        return tensors;
    }

    [MethodImpl(MethodImplOptions.NoOptimization)]
    private static int[] LayerOffsets<T>(Sequential<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var offsets = new int[model.Layers.Count];
        int offset = 0;
        for (int k = 0; k < offsets.Length; k++)
        {
            offsets[k] = offset;
            offset += model.Layers[k].ParameterCount;
        }
        return offsets;
    }

    private static int FirstNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i])) return i;
        }
        return -1;
    }

    private static BackpropException Invalid(string source, string problem) => new($"Invalid model file '{source}': {problem}.");
}
