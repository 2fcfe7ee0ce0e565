using System.Numerics;

namespace Backprop.Tensors;

/// <summary>A row-major matrix over one contiguous buffer: element <c>(r, c)</c> is at <c>r * Columns + c</c>.</summary>
/// <remarks>
/// The shape is checked once, at construction and at the public boundary; kernels then work on spans with no checks.
/// A <see cref="Matrix{T}"/> with one column doubles as a vector.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> (the default precision) or <see cref="double"/>.</typeparam>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a zero-filled matrix of shape <c>(rows, columns)</c>.</summary>
    public Matrix(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        Rows = rows;
        Columns = columns;
        Data = new T[checked(rows * columns)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a matrix of shape <c>(rows, columns)</c>.</summary>
    /// <exception cref="ArgumentException">The buffer length is not <c>rows * columns</c>.</exception>
    public Matrix(T[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (data.Length != (long)rows * columns)
        {
            throw new ArgumentException(
                $"Expected a buffer of rows * columns = {rows} * {columns} = {(long)rows * columns} elements. Received: {data.Length}.",
                nameof(data));
        }
        Rows = rows;
        Columns = columns;
        Data = data;
    }

    /// <summary>Number of rows (for activations: the batch or sample count).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (for activations: the feature count).</summary>
    public int Columns { get; }

    /// <summary>The backing buffer, row-major, of length <c>Rows * Columns</c>.</summary>
    public T[] Data { get; }

    /// <summary>Total number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The element at row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public T this[int row, int column]
    {
        get => Data[Index(row, column)];
        set => Data[Index(row, column)] = value;
    }

    /// <summary>The whole buffer as a span.</summary>
    public Span<T> AsSpan() => Data;

    /// <summary>Row <paramref name="row"/> as a span of length <see cref="Columns"/>.</summary>
    public Span<T> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Expected a row in [0, {Rows}).");
        }
        return Data.AsSpan(row * Columns, Columns);
    }

    /// <summary>Rows <c>[start, start + count)</c> as one contiguous span.</summary>
    public Span<T> RowRange(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Expected rows [{start}, {start + count}) within [0, {Rows}).");
        }
        return Data.AsSpan(start * Columns, count * Columns);
    }

    /// <summary>A deep copy.</summary>
    public Matrix<T> Clone() => new((T[])Data.Clone(), Rows, Columns);

    /// <summary>The same values converted to another precision.</summary>
    public Matrix<TOther> Convert<TOther>() where TOther : unmanaged, IFloatingPointIeee754<TOther>
    {
        var result = new Matrix<TOther>(Rows, Columns);
        for (int i = 0; i < Data.Length; i++)
        {
            result.Data[i] = TOther.CreateChecked(Data[i]);
        }
        return result;
    }

    /// <summary>The shape as <c>(rows, columns)</c>.</summary>
    public override string ToString() => $"Matrix<{typeof(T).Name}>({Rows}, {Columns})";

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(row), $"Expected (row, column) within ({Rows}, {Columns}). Received: ({row}, {column}).");
        }
        return row * Columns + column;
    }
}
