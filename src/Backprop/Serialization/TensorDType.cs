namespace Backprop.Serialization;

/// <summary>The element types Backprop reads and writes in a safetensors file (the names are the format's own).</summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32, 4 bytes little-endian: <c>"F32"</c>.</summary>
    F32,

    /// <summary>IEEE 754 binary64, 8 bytes little-endian: <c>"F64"</c>.</summary>
    F64,
}
