namespace Backprop.Data;

/// <summary>The decimal separators a column's numbers may be written with (<see cref="CsvReadOptions.Decimal"/> says when which).</summary>
[Flags]
internal enum DecimalSeparators
{
    /// <summary><c>0.538</c>; a cell with a comma is not a number, unless the commas separate thousands (<c>1,234,567.89</c>).</summary>
    Point = 1,

    /// <summary><c>0,538</c>; a cell with a point is not a number, unless the points separate thousands (<c>4.105,74</c>).</summary>
    Comma = 2,

    /// <summary>Either, as long as the file does not mix them (checked by <see cref="Table"/> once the file is read).</summary>
    Either = Point | Comma,
}
