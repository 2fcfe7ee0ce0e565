using System.Runtime.InteropServices;

namespace Backprop.Serialization.Onnx;

/// <summary>Collects the nodes, initializers, inputs, outputs and declared value types of one ONNX graph and writes them as a <c>GraphProto</c>.</summary>
/// <remarks>Field numbers are those of onnx.proto (GraphProto, NodeProto, TensorProto, AttributeProto, ValueInfoProto, TypeProto).</remarks>
internal sealed class OnnxGraphBuilder
{
    // TensorProto.DataType values.
    public const int Float = 1;
    public const int String = 8;
    public const int Int64 = 7;
    public const int Double = 11;

    private readonly List<ProtoMessage> _nodes = [];
    private readonly List<ProtoMessage> _initializers = [];
    private readonly List<ProtoMessage> _inputs = [];
    private readonly List<ProtoMessage> _outputs = [];
    private readonly List<ProtoMessage> _valueInfo = [];
    private int _counter;

    /// <summary>A fresh value name with <paramref name="stem"/> in it (internal names start with <c>bp_</c>, never clashing with inputs).</summary>
    public string Name(string stem) => $"bp_{stem}_{_counter++}";

    /// <summary>Adds a node; returns its (first) output name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, string domain = "", params ProtoMessage[] attributes)
    {
        output ??= Name(opType.ToLowerInvariant());
        var node = new ProtoMessage().Strings(1, inputs).String(2, output).String(3, $"{opType}_{_nodes.Count}").String(4, opType);
        foreach (ProtoMessage attribute in attributes) node.Message(5, attribute);
        if (domain.Length > 0) node.String(7, domain);
        _nodes.Add(node);
        return output;
    }

    /// <summary>A float initializer of shape <paramref name="dims"/>; returns its name.</summary>
    public string FloatConstant(string stem, ReadOnlySpan<float> values, params long[] dims) =>
        RawConstant(stem, MemoryMarshal.AsBytes(values), sizeof(float), Float, dims);

    /// <summary>A double initializer of shape <paramref name="dims"/>; returns its name.</summary>
    public string DoubleConstant(string stem, ReadOnlySpan<double> values, params long[] dims) =>
        RawConstant(stem, MemoryMarshal.AsBytes(values), sizeof(double), Double, dims);

    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, elements of `size` bytes).
    private string RawConstant(string stem, ReadOnlySpan<byte> bytes, int size, int dataType, long[] dims)
    {
        string name = Name(stem);
        byte[] raw = bytes.ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < raw.Length; i += size) raw.AsSpan(i, size).Reverse();
        }
        _initializers.Add(new ProtoMessage().Int64s(1, dims).Int64(2, dataType).String(8, name).Bytes(9, raw));
        return name;
    }

    /// <summary>An int64 initializer of shape <paramref name="dims"/>; returns its name.</summary>
    public string Int64Constant(string stem, long[] values, params long[] dims)
    {
        string name = Name(stem);
        // TensorProto: int64_data = 7.
        _initializers.Add(new ProtoMessage().Int64s(1, dims).Int64(2, Int64).String(8, name).Int64s(7, values));
        return name;
    }

    /// <summary>Declares a graph input; a <see langword="null"/> dimension is the symbolic batch size <c>N</c>.</summary>
    public void Input(string name, int elementType, params long?[] dims) => _inputs.Add(ValueInfo(name, elementType, dims));

    /// <summary>Declares a graph output; a <see langword="null"/> dimension is the symbolic batch size <c>N</c>.</summary>
    public void Output(string name, int elementType, params long?[] dims) => _outputs.Add(ValueInfo(name, elementType, dims));

    /// <summary>
    /// Declares the type of an intermediate value (the graph's <c>value_info</c>); a <see langword="null"/> dimension is the
    /// symbolic batch size <c>N</c>. Only for values that ONNX shape inference cannot type: every value after an untyped one is
    /// untyped too, which the ONNX checker's strict shape inference refuses.
    /// </summary>
    public void Intermediate(string name, int elementType, params long?[] dims) => _valueInfo.Add(ValueInfo(name, elementType, dims));

    /// <summary>The <c>GraphProto</c>.</summary>
    public ProtoMessage Build(string name, string docString)
    {
        // GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12, value_info = 13.
        var graph = new ProtoMessage();
        foreach (ProtoMessage node in _nodes) graph.Message(1, node);
        graph.String(2, name);
        foreach (ProtoMessage initializer in _initializers) graph.Message(5, initializer);
        graph.String(10, docString);
        foreach (ProtoMessage input in _inputs) graph.Message(11, input);
        foreach (ProtoMessage output in _outputs) graph.Message(12, output);
        foreach (ProtoMessage valueInfo in _valueInfo) graph.Message(13, valueInfo);
        return graph;
    }

    // AttributeProto: name = 1, f = 2, i = 3, ints = 8, strings = 9, type = 20 (FLOAT = 1, INT = 2, INTS = 7, STRINGS = 8).
    public static ProtoMessage IntAttribute(string name, long value) => new ProtoMessage().String(1, name).Int64(3, value).Int64(20, 2);

    public static ProtoMessage IntsAttribute(string name, IEnumerable<long> values) => new ProtoMessage().String(1, name).Int64s(8, values).Int64(20, 7);

    public static ProtoMessage FloatAttribute(string name, float value) => new ProtoMessage().String(1, name).Float(2, value).Int64(20, 1);

    public static ProtoMessage StringsAttribute(string name, IEnumerable<string> values) => new ProtoMessage().String(1, name).Strings(9, values).Int64(20, 8);

    // ValueInfoProto { name = 1, type = 2 }, TypeProto { tensor_type = 1 }, TypeProto.Tensor { elem_type = 1, shape = 2 },
    // TensorShapeProto { dim = 1 }, Dimension { dim_value = 1, dim_param = 2 }.
    private static ProtoMessage ValueInfo(string name, int elementType, long?[] dims)
    {
        var shape = new ProtoMessage();
        foreach (long? dim in dims)
        {
            shape.Message(1, dim is long value ? new ProtoMessage().Int64(1, value) : new ProtoMessage().String(2, "N"));
        }
        var tensorType = new ProtoMessage().Int64(1, elementType).Message(2, shape);
        return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }
}
