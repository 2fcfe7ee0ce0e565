using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Backprop.Serialization;

/// <summary>A <see cref="Layers.Sequential{T}"/>'s shape as plain data: its input width and its layers in order.</summary>
/// <remarks>
/// Stored as JSON in the model file's <c>architecture</c> metadata entry, for example
/// <c>{"input_features":4,"layers":[{"type":"Dense","in_features":4,"out_features":16,"init":"PyTorch"},{"type":"Relu","in_features":16,"out_features":16},…]}</c>.
/// Layer <c>k</c> of this list is <c>layers.k</c> in tensor names, as in a PyTorch <c>nn.Sequential</c> where activations take an index too.
/// </remarks>
public sealed class ModelArchitecture
{
    /// <summary>Largest number of layers <see cref="Parse"/> accepts.</summary>
    public const int MaxLayers = 10_000;

    /// <summary>Creates an architecture; each layer's input width must be the previous layer's output width.</summary>
    /// <exception cref="ArgumentException">The layers do not chain, or there are none.</exception>
    public ModelArchitecture(int inputFeatures, IReadOnlyList<LayerDescription> layers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputFeatures);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("Expected at least one layer. Received: none.", nameof(layers));
        }
        int features = inputFeatures;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].InputFeatures != features || layers[i].OutputFeatures <= 0)
            {
                throw new ArgumentException($"Expected layer {i} ({layers[i]}) to take {features} input features and give at least one.", nameof(layers));
            }
            features = layers[i].OutputFeatures;
        }
        InputFeatures = inputFeatures;
        Layers = layers;
    }

    /// <summary>Input feature count.</summary>
    public int InputFeatures { get; }

    /// <summary>Output feature count: the last layer's.</summary>
    public int OutputFeatures => Layers[^1].OutputFeatures;

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>The JSON form stored in model files (compact, keys in a fixed order).</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonText.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("input_features", InputFeatures);
            json.WriteStartArray("layers");
            foreach (LayerDescription layer in Layers)
            {
                json.WriteStartObject();
                json.WriteString("type", layer.Type);
                json.WriteNumber("in_features", layer.InputFeatures);
                json.WriteNumber("out_features", layer.OutputFeatures);
                if (layer.Initialization is not null) json.WriteString("init", layer.Initialization);
                if (layer.Options is { Count: > 0 })
                {
                    json.WriteStartObject("options");
                    string[] names = [.. layer.Options.Keys];
                    Array.Sort(names, StringComparer.Ordinal);
                    foreach (string name in names)
                    {
                        json.WriteNumber(name, layer.Options[name]);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses the JSON form; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="BackpropException">The JSON is malformed or describes layers that do not chain.</exception>
    public static ModelArchitecture Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            JsonElement root = document.RootElement;
            int input = ReadInt(Require(root, "input_features", JsonValueKind.Number, "architecture"), "architecture.input_features");
            JsonElement layersJson = Require(root, "layers", JsonValueKind.Array, "architecture");
            int count = layersJson.GetArrayLength();
            if (count is 0 or > MaxLayers)
            {
                throw new FormatException($"architecture.layers has {count} entries; expected 1 to {MaxLayers}");
            }
            var layers = new List<LayerDescription>(count);
            int index = 0;
            foreach (JsonElement layer in layersJson.EnumerateArray())
            {
                string where = $"architecture.layers[{index++}]";
                string type = Require(layer, "type", JsonValueKind.String, where).GetString()!;
                int inFeatures = ReadInt(Require(layer, "in_features", JsonValueKind.Number, where), where + ".in_features");
                int outFeatures = ReadInt(Require(layer, "out_features", JsonValueKind.Number, where), where + ".out_features");
                string? init = layer.TryGetProperty("init", out JsonElement initJson) && initJson.ValueKind == JsonValueKind.String ? initJson.GetString() : null;
                Dictionary<string, double>? options = null;
                if (layer.TryGetProperty("options", out JsonElement optionsJson))
                {
                    if (optionsJson.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}.options is not an object");
                    options = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (JsonProperty option in optionsJson.EnumerateObject())
                    {
                        if (option.Value.ValueKind != JsonValueKind.Number || !option.Value.TryGetDouble(out double value) || !double.IsFinite(value))
                        {
                            throw new FormatException($"{where}.options.{option.Name} is not a finite number");
                        }
                        options[option.Name] = value;
                    }
                }
                layers.Add(new LayerDescription(type, inFeatures, outFeatures, init, options));
            }
            return new ModelArchitecture(input, layers);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new BackpropException($"Invalid model file '{source}': the architecture metadata is malformed ({ex.Message.ReplaceLineEndings(" ").Trim()}).", ex);
        }
    }

    /// <summary>Total trainable parameters (as <see cref="long"/>: an architecture read from a file may claim more than fit in memory).</summary>
    public long ParameterCount => Layers.Sum(LayerCatalog.ParameterCount);

    /// <summary>A header line and one line per layer, for example <c>(0) Dense(4 → 16)  // 80 parameters</c>.</summary>
    public override string ToString() =>
        $"Sequential({InputFeatures} → {OutputFeatures})  // {ParameterCount:N0} parameters"
        + string.Concat(Layers.Select((layer, i) =>
            $"{Environment.NewLine}  ({i}) {layer}" + (LayerCatalog.ParameterCount(layer) is > 0 and long count ? $"  // {count:N0} parameters" : "")));

    private static JsonElement Require(JsonElement parent, string name, JsonValueKind kind, string where)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} is not an object");
        }
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != kind)
        {
            throw new FormatException($"{where}.{name} is missing or not a {kind.ToString().ToLowerInvariant()}");
        }
        return value;
    }

    private static int ReadInt(JsonElement value, string where) =>
        value.TryGetInt32(out int result) && result > 0
            ? result
            : throw new FormatException($"{where} is {value.GetRawText()}; expected a positive integer below {int.MaxValue.ToString(CultureInfo.InvariantCulture)}");
}
