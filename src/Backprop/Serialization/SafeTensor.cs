using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Backprop.Serialization;

/// <summary>One named tensor of a safetensors file: a dtype, a shape and its values as little-endian bytes.</summary>
/// <remarks>
/// Plain data: the values are copied in at creation, so later changes to the source do not reach the tensor.
/// A shape of <c>[]</c> is a scalar (one element); a dimension of 0 makes an empty tensor.
/// </remarks>
public sealed class SafeTensor
{
    private readonly byte[] _bytes;
    private readonly int[] _shape;

    internal SafeTensor(string name, TensorDType dtype, int[] shape, byte[] bytes)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        _bytes = bytes;
    }

    /// <summary>The tensor's name, for example <c>layers.0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorDType DType { get; }

    /// <summary>The dimensions, outermost first (row-major).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of elements: the product of <see cref="Shape"/>.</summary>
    public int ElementCount => _bytes.Length / ElementSize(DType);

    /// <summary>The raw little-endian bytes, as stored in the file.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Creates a tensor named <paramref name="name"/> holding a copy of <paramref name="values"/> with shape <paramref name="shape"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> (stored as F32) or <see cref="double"/> (stored as F64).</typeparam>
    /// <exception cref="ArgumentException">The name is empty, a dimension is negative, or the shape does not hold <c>values.Length</c> elements.</exception>
    // Once a tensor of a save: compiled without optimization (docs/performance.md, "Start-up"); the bytes are copied by what it calls.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)]
    public static SafeTensor Create<T>(string name, ReadOnlySpan<T> values, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        TensorDType dtype = DTypeOf<T>();
        long count = 1;
        foreach (int dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count *= dimension;
            if (count > Array.MaxLength) throw new ArgumentException($"Expected at most {Array.MaxLength:N0} elements. Received shape [{string.Join(", ", shape)}].", nameof(shape));
        }
        if (count != values.Length)
        {
            throw new ArgumentException($"Expected shape [{string.Join(", ", shape)}] to hold {values.Length} values. It holds {count}.", nameof(shape));
        }
        var bytes = new byte[checked(values.Length * ElementSize(dtype))];
        ReadOnlySpan<byte> source = MemoryMarshal.AsBytes(values);
        source.CopyTo(bytes);
        if (!BitConverter.IsLittleEndian) ReverseElements(bytes, ElementSize(dtype));
        return new SafeTensor(name, dtype, (int[])shape.Clone(), bytes);
    }

    /// <summary>The values as <typeparamref name="T"/>, converted if the tensor was stored in the other precision.</summary>
    /// <remarks>F32 → <see cref="double"/> is exact; F64 → <see cref="float"/> rounds to nearest.</remarks>
    public T[] ToArray<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[ElementCount];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the values into <paramref name="destination"/> (exactly <see cref="ElementCount"/> long), converting precision if needed.</summary>
    public void CopyTo<T>(Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Length != ElementCount)
        {
            throw new ArgumentException($"Expected a destination of {ElementCount} elements for tensor '{Name}'. Received: {destination.Length}.", nameof(destination));
        }
        if (DTypeOf<T>() == DType && BitConverter.IsLittleEndian)
        {
            _bytes.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = DType == TensorDType.F32
                ? T.CreateChecked(BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(4 * i)))
                : T.CreateChecked(BinaryPrimitives.ReadDoubleLittleEndian(_bytes.AsSpan(8 * i)));
        }
    }

    /// <summary>For example <c>layers.0.weight F32 [16, 4]</c>.</summary>
    public override string ToString() => $"{Name} {DType} [{string.Join(", ", _shape)}]";

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(TensorDType dtype) => dtype == TensorDType.F64 ? 8 : 4;

    /// <summary>The dtype that stores <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public static TensorDType DTypeOf<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? TensorDType.F32
        : typeof(T) == typeof(double) ? TensorDType.F64
        : throw new NotSupportedException($"Expected float or double tensors. Received: {typeof(T).Name}.");

    private static void ReverseElements(Span<byte> bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }
}
