using Backprop.Data;

namespace Backprop.Preprocessing;

/// <summary>A column's cells as numbers (<see cref="double.NaN"/> when missing), whether it was read as numbers or as text.</summary>
/// <remarks>Checks the whole column once, at construction, so that reading a cell is a lookup.</remarks>
internal readonly struct NumericCells
{
    private readonly TableColumn _column;
    private readonly double[]? _levelValues;

    /// <exception cref="BackpropException">A cell is not a number (<paramref name="why"/> says why one was expected), or not finite.</exception>
    public NumericCells(Table table, TableColumn column, string why)
    {
        _column = column;
        if (column.IsNumeric)
        {
            if (column.FirstNonFiniteRow >= 0)
            {
                throw DataErrors.NotFinite(table.LocationOf(column.FirstNonFiniteRow), column.Name, column.FirstNonFiniteText!);
            }
            return;
        }
        if (column.FirstNonNumericRow >= 0)
        {
            // A number in another unit than the column's others ($5.00 among € amounts) is not a typo: say which unit.
            if (column.Unit is not null && column.TryParseAnyUnit(column.FirstNonNumericText, out ReadOnlySpan<char> other) && !other.IsEmpty)
            {
                throw DataErrors.OtherUnit(table.LocationOf(column.FirstNonNumericRow), column.Name, column.FirstNonNumericText!, column.Unit, why);
            }
            throw DataErrors.NotNumeric(table.LocationOf(column.FirstNonNumericRow), column.Name, column.FirstNonNumericText!, why);
        }
        // Read as text (asked to be), yet every value is a number (with the column's decimal separators: FirstNonNumericRow says so).
        _levelValues = column.Levels.Select(level => column.TryParseNumber(level, out double value) ? value : double.NaN).ToArray();
        int infinite = Array.FindIndex(_levelValues, v => !double.IsFinite(v));
        if (infinite >= 0)
        {
            int row = Enumerable.Range(0, column.Count).First(r => column.GetCode(r) == infinite);
            throw DataErrors.NotFinite(table.LocationOf(row), column.Name, column.Levels[infinite]);
        }
    }

    public double this[int row] => _levelValues is null
        ? _column.GetNumber(row)
        : _column.GetCode(row) is int code and >= 0 ? _levelValues[code] : double.NaN;
}
