using Google.Protobuf;

namespace Backprop.Serialization.Onnx;

/// <summary>Builds one protobuf message field by field with <see cref="CodedOutputStream"/>; nested messages are written as bytes.</summary>
/// <remarks>
/// Enough of the wire format for ONNX: varints, fixed32 floats, strings, bytes and embedded messages. Repeated scalars are
/// written unpacked, which every protobuf parser accepts for proto2 files such as onnx.proto.
/// </remarks>
internal sealed class ProtoMessage
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoMessage() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoMessage Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoMessage Int64s(int field, IEnumerable<long> values)
    {
        foreach (long value in values) Int64(field, value);
        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoMessage String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoMessage Strings(int field, IEnumerable<string> values)
    {
        foreach (string value in values) String(field, value);
        return this;
    }

    public ProtoMessage Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoMessage Message(int field, ProtoMessage message) => Bytes(field, message.ToArray());

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
