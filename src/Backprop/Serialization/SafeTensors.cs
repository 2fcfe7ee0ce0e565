using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Backprop.IO;

namespace Backprop.Serialization;

/// <summary>Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header, raw tensor bytes.</summary>
/// <remarks>
/// <para>
/// Header: <c>{"__metadata__": {"key": "value", …}, "name": {"dtype": "F32", "shape": [O, I], "data_offsets": [begin, end]}, …}</c>,
/// offsets relative to the start of the data section, which follows the header. Only F32 and F64 are read or written.
/// The writer pads the header with spaces to a multiple of 8 bytes, as the reference implementation does, so data stays aligned.
/// </para>
/// <para>
/// The reader trusts nothing: header length, JSON, dtypes, shapes, offsets, overlaps, gaps and trailing bytes are all checked
/// against the file length and <see cref="SafeTensorsLimits"/> before any tensor is allocated, and every problem is a
/// <see cref="BackpropException"/> whose one-line message names the source and what is wrong.
/// </para>
/// </remarks>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="BackpropException">The file could not be written; a previous file at <paramref name="path"/> is intact.</exception>
    public static void Save(string path, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        byte[] header = EncodeHeader(tensors, metadata);
        AtomicFile.Write(path, stream => WriteEncoded(stream, header, tensors));
    }

    /// <summary>Writes <paramref name="tensors"/> (data in list order) and <paramref name="metadata"/> to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a name is <c>__metadata__</c>.</exception>
    public static void Write(Stream stream, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WriteEncoded(stream, EncodeHeader(tensors, metadata), tensors);
    }

    /// <summary>The file's bytes for <paramref name="tensors"/> and <paramref name="metadata"/>.</summary>
    public static byte[] ToBytes(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>Reads and validates the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="BackpropException">The file is missing, unreadable or malformed; the message says which and where.</exception>
    public static SafeTensorsDocument Load(string path, SafeTensorsLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new BackpropException($"Expected a model file. Received: '{path}', which is a directory.");
        }
        if (!File.Exists(path))
        {
            throw new BackpropException($"Expected an existing model file. Received: '{path}', which does not exist (full path {Path.GetFullPath(path)}).");
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackpropException($"Cannot read '{path}': {ex.Message.ReplaceLineEndings(" ").Trim()}", ex);
        }
        using (stream)
        {
            return Read(stream, path, limits);
        }
    }

    /// <summary>Reads and validates a safetensors file held in memory; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="BackpropException">The content is malformed.</exception>
    public static SafeTensorsDocument Parse(byte[] content, string source, SafeTensorsLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        return Read(stream, source, limits);
    }

    /// <summary>Reads and validates a safetensors file from a seekable <paramref name="stream"/> of known length.</summary>
    /// <exception cref="BackpropException">The content is malformed or the stream fails; the message names <paramref name="source"/>.</exception>
    public static SafeTensorsDocument Read(Stream stream, string source, SafeTensorsLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("Expected a seekable stream: its length bounds every check.", nameof(stream));
        }
        limits ??= SafeTensorsLimits.Default;
        try
        {
            return ReadValidated(stream, source, limits);
        }
        catch (EndOfStreamException ex)
        {
            throw new BackpropException($"Invalid model file '{source}': it ended early (truncated while being read).", ex);
        }
        catch (IOException ex)
        {
            throw new BackpropException($"Cannot read '{source}': {ex.Message.ReplaceLineEndings(" ").Trim()}", ex);
        }
    }

    private static SafeTensorsDocument ReadValidated(Stream stream, string source, SafeTensorsLimits limits)
    {
        long fileLength = stream.Length - stream.Position;
        if (fileLength < 8)
        {
            throw Invalid(source, $"it is {fileLength} bytes long; expected at least the 8-byte header length");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)limits.MaxHeaderBytes)
        {
            throw Invalid(source, $"the header length {headerLength:N0} exceeds the limit of {limits.MaxHeaderBytes:N0} bytes (not a safetensors model file, or a damaged one)");
        }
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw Invalid(source, $"the header length {headerLength:N0} runs past the end of the file ({fileLength:N0} bytes); the file is truncated or not a safetensors file");
        }
        if (headerLength < 2)
        {
            throw Invalid(source, $"the header length is {headerLength}; expected a JSON object");
        }
        // Safe: bounded by the file length and the header limit, checked above.
        var header = new byte[(int)headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;

        (List<TensorEntry> entries, Dictionary<string, string> metadata) = ParseHeader(header, source, limits);
        CheckLayout(entries, dataLength, source);

        // Everything is validated: the total allocated below is exactly the data section, no more than the file.
        var tensors = new List<SafeTensor>(entries.Count);
        foreach (TensorEntry entry in entries)
        {
            var bytes = new byte[entry.End - entry.Begin];
            stream.ReadExactly(bytes);
            tensors.Add(new SafeTensor(entry.Name, entry.DType, entry.Shape, bytes));
        }
        return new SafeTensorsDocument(tensors, metadata);
    }

    private static (List<TensorEntry>, Dictionary<string, string>) ParseHeader(byte[] header, string source, SafeTensorsLimits limits)
    {
        if (!Utf8.IsValid(header))
        {
            throw Invalid(source, "the header is not valid UTF-8");
        }
        if (header[0] != (byte)'{')
        {
            throw Invalid(source, "the header does not start with '{'; not a safetensors file");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"the header is not valid JSON ({FirstLine(ex.Message)})");
        }
        using (document)
        {
            try
            {
                return ParseRoot(document.RootElement, source, limits);
            }
            catch (InvalidOperationException ex)
            {
                // A string escape that decodes to invalid UTF-16 (a lone surrogate such as \ud800) surfaces here.
                throw Invalid(source, $"the header holds an invalid string ({FirstLine(ex.Message)})");
            }
        }
    }

    private static (List<TensorEntry>, Dictionary<string, string>) ParseRoot(JsonElement root, string source, SafeTensorsLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, "the header is not a JSON object");
        }
        var entries = new List<TensorEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            string name = property.Name;
            if (!names.Add(name))
            {
                throw Invalid(source, $"the header names '{Shorten(name)}' twice");
            }
            if (name == MetadataKey)
            {
                ParseMetadata(property.Value, metadata, source, limits);
                continue;
            }
            if (entries.Count >= limits.MaxTensors)
            {
                throw Invalid(source, $"it has more than {limits.MaxTensors:N0} tensors");
            }
            if (name.Length == 0)
            {
                throw Invalid(source, "a tensor has an empty name");
            }
            entries.Add(ParseTensor(name, property.Value, source, limits));
        }
        return (entries, metadata);
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string source, SafeTensorsLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"'{MetadataKey}' is a JSON {Kind(value)}; expected an object of strings");
        }
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"metadata entry '{Shorten(entry.Name)}' is a JSON {Kind(entry.Value)}; expected a string");
            }
            if (metadata.Count >= limits.MaxMetadataEntries)
            {
                throw Invalid(source, $"it has more than {limits.MaxMetadataEntries:N0} metadata entries");
            }
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw Invalid(source, $"metadata entry '{Shorten(entry.Name)}' appears twice");
            }
        }
    }

    private static TensorEntry ParseTensor(string name, JsonElement value, string source, SafeTensorsLimits limits)
    {
        string where = $"tensor '{Shorten(name)}'";
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"{where} is a JSON {Kind(value)}; expected an object with dtype, shape and data_offsets");
        }
        string? dtypeName = null;
        JsonElement? shapeElement = null, offsetsElement = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when dtypeName is null:
                    dtypeName = field.Value.ValueKind == JsonValueKind.String
                        ? field.Value.GetString()!
                        : throw Invalid(source, $"{where}: dtype is a JSON {Kind(field.Value)}; expected a string");
                    break;
                case "shape" when shapeElement is null:
                    shapeElement = field.Value;
                    break;
                case "data_offsets" when offsetsElement is null:
                    offsetsElement = field.Value;
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw Invalid(source, $"{where} has '{field.Name}' twice");
                default:
                    throw Invalid(source, $"{where} has an unknown field '{Shorten(field.Name)}'; expected dtype, shape and data_offsets");
            }
        }
        if (dtypeName is null || shapeElement is null || offsetsElement is null)
        {
            string missing = dtypeName is null ? "dtype" : shapeElement is null ? "shape" : "data_offsets";
            throw Invalid(source, $"{where} has no {missing}");
        }
        TensorDType dtype = dtypeName switch
        {
            "F32" => TensorDType.F32,
            "F64" => TensorDType.F64,
            _ => throw Invalid(source, $"{where} has dtype '{Shorten(dtypeName)}'; Backprop reads F32 and F64"),
        };

        JsonElement shapeJson = shapeElement.Value;
        if (shapeJson.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, $"{where}: shape is a JSON {Kind(shapeJson)}; expected an array of sizes");
        }
        int rank = shapeJson.GetArrayLength();
        if (rank > limits.MaxRank)
        {
            throw Invalid(source, $"{where} has {rank} dimensions; at most {limits.MaxRank} are accepted");
        }
        var shape = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            JsonElement dimension = shapeJson[d];
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out long size) || size < 0 || size > int.MaxValue)
            {
                throw Invalid(source, $"{where}: shape[{d}] is {Shorten(dimension.GetRawText())}; expected an integer in [0, {int.MaxValue}]");
            }
            shape[d] = (int)size;
            // Both factors are ≤ 2^31 and the running product is kept ≤ Array.MaxLength, so this cannot overflow.
            elements *= size;
            if (elements > Array.MaxLength)
            {
                throw Invalid(source, $"{where} has shape [{string.Join(", ", shape.Take(d + 1))}, …], more than {Array.MaxLength:N0} elements");
            }
        }
        long byteCount = elements * SafeTensor.ElementSize(dtype);

        JsonElement offsetsJson = offsetsElement.Value;
        if (offsetsJson.ValueKind != JsonValueKind.Array || offsetsJson.GetArrayLength() != 2)
        {
            throw Invalid(source, $"{where}: data_offsets is {Shorten(offsetsJson.GetRawText())}; expected [begin, end]");
        }
        long[] offsets = new long[2];
        for (int k = 0; k < 2; k++)
        {
            JsonElement offset = offsetsJson[k];
            if (offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt64(out offsets[k]) || offsets[k] < 0)
            {
                throw Invalid(source, $"{where}: data_offsets[{k}] is {Shorten(offset.GetRawText())}; expected a non-negative integer");
            }
        }
        if (offsets[1] < offsets[0])
        {
            throw Invalid(source, $"{where}: data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");
        }
        if (offsets[1] - offsets[0] != byteCount)
        {
            throw Invalid(source, $"{where} is {dtype} with shape [{string.Join(", ", shape)}], which needs {byteCount:N0} bytes, but data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]:N0}");
        }
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static void CheckLayout(List<TensorEntry> entries, long dataLength, string source)
    {
        foreach (TensorEntry entry in entries)
        {
            if (entry.End > dataLength)
            {
                throw Invalid(source, $"tensor '{Shorten(entry.Name)}' ends at byte {entry.End:N0} of the data section, which has only {dataLength:N0} bytes; the file is truncated");
            }
        }
        // The data must be tiled exactly: sorted by offset, each tensor begins where the previous ended, the last ends the file.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (TensorEntry entry in entries)
        {
            if (entry.Begin < expected)
            {
                throw Invalid(source, $"tensor '{Shorten(entry.Name)}' at data_offsets [{entry.Begin}, {entry.End}] overlaps the previous tensor");
            }
            if (entry.Begin > expected)
            {
                throw Invalid(source, $"there is a gap of {entry.Begin - expected:N0} bytes before tensor '{Shorten(entry.Name)}'");
            }
            expected = entry.End;
        }
        if (expected != dataLength)
        {
            throw Invalid(source, $"{dataLength - expected:N0} bytes follow the last tensor (trailing garbage)");
        }
    }

    private static byte[] EncodeHeader(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonText.WriterOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                // Sorted keys: the same content always gives the same bytes (deterministic model files). Sorted as an array, not
                // with LINQ's OrderBy, whose generic sorter the JIT compiles afresh in every process that saves (docs/performance.md).
                string[] keys = [.. metadata.Keys];
                Array.Sort(keys, StringComparer.Ordinal);
                foreach (string key in keys)
                {
                    string value = metadata[key];
                    ArgumentNullException.ThrowIfNull(value, nameof(metadata));
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (SafeTensor tensor in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
                if (tensor.Name == MetadataKey || !names.Add(tensor.Name))
                {
                    throw new ArgumentException($"Expected unique tensor names other than {MetadataKey}. Received '{tensor.Name}' more than once or reserved.", nameof(tensors));
                }
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToString());
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape) json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Bytes.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data section starts 8-byte aligned (8 + header is a multiple of 8).
        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteEncoded(Stream stream, byte[] header, IReadOnlyList<SafeTensor> tensors)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (SafeTensor tensor in tensors)
        {
            stream.Write(tensor.Bytes);
        }
    }

    private static BackpropException Invalid(string source, string problem) => new($"Invalid model file '{source}': {problem}.");

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static string FirstLine(string message) => message.ReplaceLineEndings(" ").Trim();

    // Names and raw values come from the file: keep messages one short line whatever they hold.
    private static string Shorten(string text)
    {
        string oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 60 ? oneLine : string.Concat(oneLine.AsSpan(0, 57), "...");
    }

    private sealed record TensorEntry(string Name, TensorDType DType, int[] Shape, long Begin, long End);
}
