using System.Buffers.Binary;
using System.Text;
using Backprop.Serialization;

namespace Backprop.Tests.Serialization;

public class SafeTensorsTests
{
    /// <summary>A file assembled by hand: length prefix, header text exactly as given, data bytes.</summary>
    internal static byte[] Assemble(string header, byte[] data) => Assemble(Encoding.UTF8.GetBytes(header), data);

    internal static byte[] Assemble(byte[] header, byte[] data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static string ParseError(byte[] file) =>
        Assert.Throws<BackpropException>(() => SafeTensors.Parse(file, "test.safetensors")).Message;

    [Fact]
    public void Round_trip_keeps_names_shapes_values_and_metadata()
    {
        SafeTensor[] tensors =
        [
            SafeTensor.Create<float>("a", [1f, -2.5f, float.Epsilon, float.MaxValue, -0f, 3f], 2, 3),
            SafeTensor.Create<double>("b.c", [Math.PI, double.MinValue], 2),
            SafeTensor.Create<float>("scalar", [7f]),
            SafeTensor.Create<double>("empty", [], 0, 5),
        ];
        var metadata = new Dictionary<string, string> { ["format"] = "x", ["json"] = "{\"k\": [1, \"é\\n\"]}" };
        SafeTensorsDocument read = SafeTensors.Parse(SafeTensors.ToBytes(tensors, metadata), "memory");

        Assert.Equal(["a", "b.c", "scalar", "empty"], read.Tensors.Select(t => t.Name));
        Assert.Equal(metadata, read.Metadata);
        Assert.Equal([2, 3], read.Find("a")!.Shape);
        Assert.Equal(TensorDType.F64, read.Find("b.c")!.DType);
        Assert.Empty(read.Find("scalar")!.Shape);
        Assert.Equal([0, 5], read.Find("empty")!.Shape);
        Assert.Equal(new[] { 1f, -2.5f, float.Epsilon, float.MaxValue, -0f, 3f }.Select(BitConverter.SingleToInt32Bits),
            read.Find("a")!.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal([Math.PI, double.MinValue], read.Find("b.c")!.ToArray<double>());
        Assert.Empty(read.Find("empty")!.ToArray<double>());
    }

    [Fact]
    public void Writes_the_documented_layout_with_an_aligned_header()
    {
        byte[] file = SafeTensors.ToBytes([SafeTensor.Create<float>("w", [1f, 2f], 1, 2)], new Dictionary<string, string> { ["k"] = "v" });
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, (8 + headerLength) % 8);
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.Equal("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}", header.TrimEnd(' '));
        Assert.Equal(Floats(1f, 2f), file[(8 + (int)headerLength)..]);
    }

    [Fact]
    public void Reads_a_file_written_by_another_implementation()
    {
        // Key order, whitespace and data order as another writer might choose: offsets, not header order, place the data.
        string header = "{ \"b\" : {\"shape\": [2], \"dtype\": \"F32\", \"data_offsets\": [8, 16]},\n \"a\": {\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} }";
        SafeTensorsDocument read = SafeTensors.Parse(Assemble(header, Floats(1, 2, 3, 4)), "other");
        Assert.Equal([1f, 2f], read.Find("a")!.ToArray<float>());
        Assert.Equal([3f, 4f], read.Find("b")!.ToArray<float>());
        Assert.Empty(read.Metadata);
        Assert.Equal(["a", "b"], read.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Converts_between_precisions_on_request()
    {
        SafeTensor tensor = SafeTensor.Create<float>("x", [0.1f], 1);
        Assert.Equal((double)0.1f, tensor.ToArray<double>()[0]);
        Assert.Equal(0.1f, SafeTensor.Create<double>("y", [0.1], 1).ToArray<float>()[0]);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", "dtype 'F16'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "4 bytes follow the last tensor")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "gap of 4 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "'a' twice")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "shape[0] is -2")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", "shape[0] is 2.5")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,8]}}", "elements")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "end before they begin")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", "expected [begin, end]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", "has no data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", "unknown field 'x'")]
    [InlineData("{\"__metadata__\":{\"k\":1},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "metadata entry 'k' is a JSON number")]
    [InlineData("[1,2]", "does not start with '{'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", "not valid JSON")]
    [InlineData("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "invalid string")]
    public void Refuses_malformed_headers_with_a_message_naming_the_problem(string header, string expected)
    {
        string message = ParseError(Assemble(header, Floats(1, 2)));
        Assert.Contains(expected, message);
        Assert.StartsWith("Invalid model file 'test.safetensors': ", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Refuses_a_huge_header_length_before_allocating()
    {
        byte[] file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        Assert.Contains("exceeds the limit", ParseError(file));
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);
        Assert.Contains("runs past the end of the file (16 bytes)", ParseError(file));
        Assert.Contains("at least the 8-byte header length", ParseError(new byte[5]));
    }

    [Fact]
    public void Refuses_non_utf8_and_deeply_nested_headers()
    {
        byte[] header = Encoding.UTF8.GetBytes("{\"a\u00e9\":1}");
        header[3] = 0xFF;
        Assert.Contains("not valid UTF-8", ParseError(Assemble(header, [])));
        string deep = "{\"__metadata__\":" + new string('[', 100) + new string(']', 100) + "}";
        Assert.Contains("not valid JSON", ParseError(Assemble(deep, [])));
    }

    [Fact]
    public void Enforces_tensor_count_and_rank_limits()
    {
        var limits = new SafeTensorsLimits(MaxTensors: 2, MaxRank: 2);
        byte[] three = SafeTensors.ToBytes([SafeTensor.Create<float>("a", [1f]), SafeTensor.Create<float>("b", [1f]), SafeTensor.Create<float>("c", [1f])]);
        Assert.Contains("more than 2 tensors", Assert.Throws<BackpropException>(() => SafeTensors.Parse(three, "f", limits)).Message);
        byte[] rank3 = SafeTensors.ToBytes([SafeTensor.Create<float>("a", [1f], 1, 1, 1)]);
        Assert.Contains("3 dimensions", Assert.Throws<BackpropException>(() => SafeTensors.Parse(rank3, "f", limits)).Message);
    }

    [Fact]
    public void Load_reports_a_missing_file_as_a_BackpropException()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.safetensors");
        var error = Assert.Throws<BackpropException>(() => SafeTensors.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Writer_refuses_duplicate_names()
    {
        Assert.Throws<ArgumentException>(() => SafeTensors.ToBytes([SafeTensor.Create<float>("a", [1f]), SafeTensor.Create<float>("a", [2f])]));
        Assert.Throws<ArgumentException>(() => SafeTensor.Create<float>("a", [1f, 2f], 3));
    }
}
