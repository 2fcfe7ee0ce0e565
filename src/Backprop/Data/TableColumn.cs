using System.Buffers;
using System.Globalization;
using nietras.SeparatedValues;

namespace Backprop.Data;

/// <summary>One column of a <see cref="Table"/>, stored as numbers or as dictionary-coded text.</summary>
/// <remarks>
/// A column is numeric while every non-missing cell parses as a number (invariant culture, with the decimal separators the file
/// allows: <see cref="CsvReadOptions.Decimal"/>); otherwise it is text, each distinct
/// value stored once (<see cref="Levels"/>) and each cell as an index into them, so a categorical column of a million rows costs
/// four bytes a row. Missing cells (<see cref="MissingValues"/>) are <see cref="double.NaN"/> in a numeric column and code −1
/// in a text column. The first offending cells are remembered (row and text) so that errors can name them later, when it is
/// known how the column is used.
/// </remarks>
public sealed class TableColumn
{
    private readonly ChunkedList<double> _numbers = new();
    private readonly ChunkedList<int> _codes = new();
    private readonly List<string> _levels = [];
    private readonly Dictionary<string, int> _levelIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _levelLookup;
    private readonly DecimalSeparators _decimals;
    private int _numericValues;
    private long _levelBytes;

    // A distinct text held once: the string's header, its list slot and its dictionary entry, besides its characters.
    private const int LevelOverhead = 72;

    // What a number written with a decimal comma may hold besides its one comma (checked before it is copied to be parsed).
    private static readonly SearchValues<char> DecimalCommaNumber = SearchValues.Create("0123456789+-eE,");

    internal TableColumn(string name, int index, bool text, DecimalSeparators decimals = DecimalSeparators.Point)
    {
        Name = name;
        Index = index;
        IsNumeric = !text;
        _decimals = decimals;
        _levelLookup = _levelIndex.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The header name.</summary>
    public string Name { get; }

    /// <summary>Position in the table, from 0 (in the file, but for columns left out before it: <see cref="Table.Notes"/>).</summary>
    public int Index { get; internal set; }

    /// <summary>Whether every non-missing cell is a number (and the column was not asked to be text).</summary>
    public bool IsNumeric { get; private set; }

    /// <summary>Number of rows.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// What the column is when it cannot be read as cells (a Parquet list, map, struct or binary column, as "a list column"),
    /// or <see langword="null"/>. Such a column holds missing cells only: it may be left out (<c>--drop</c>, or not a feature
    /// of the model), and the preprocessing refuses it, naming it, where it would be used.
    /// </summary>
    internal string? Unsupported { get; set; }

    /// <summary>Number of missing cells.</summary>
    public int MissingCount { get; private set; }

    /// <summary>Row of the first missing cell, or −1.</summary>
    public int FirstMissingRow { get; private set; } = -1;

    /// <summary>Text of the first missing cell (for example <c>NA</c>), or <see langword="null"/>.</summary>
    public string? FirstMissingText { get; private set; }

    /// <summary>Text of the first missing cell that is a spreadsheet's error value (<see cref="MissingValues.ExcelErrors"/>), or <see langword="null"/>.</summary>
    internal string? FirstExcelError { get; private set; }

    /// <summary>Text column: row of the first non-missing cell that is not a number, or −1 when every cell is one.</summary>
    public int FirstNonNumericRow { get; private set; } = -1;

    /// <summary>Text of the cell at <see cref="FirstNonNumericRow"/>.</summary>
    public string? FirstNonNumericText { get; private set; }

    /// <summary>Numeric column: row of the first cell that parsed to an infinity (such as <c>inf</c> or <c>1e999</c>), or −1.</summary>
    public int FirstNonFiniteRow { get; private set; } = -1;

    /// <summary>Text of the cell at <see cref="FirstNonFiniteRow"/>.</summary>
    public string? FirstNonFiniteText { get; private set; }

    /// <summary>Text column: the distinct non-missing values, in order of first appearance.</summary>
    public IReadOnlyList<string> Levels => _levels;

    /// <summary>About the bytes the column holds: 8 a numeric cell, 4 a text cell, and each distinct text once.</summary>
    internal long BytesHeld => (IsNumeric ? 8L : 4L) * Count + _levelBytes;

    /// <summary>True when a numeric column met text after numbers: its earlier cells must be read again as text.</summary>
    internal bool NeedsTextReread { get; private set; }

    /// <summary>Numeric column that may use either decimal separator: row of the first number written with a decimal comma (<c>0,5</c>), or −1.</summary>
    internal int FirstCommaRow { get; private set; } = -1;

    /// <summary>Text of the cell at <see cref="FirstCommaRow"/>.</summary>
    internal string? FirstCommaText { get; private set; }

    /// <summary>Numeric column that may use either decimal separator: row of the first number written with a point (<c>0.5</c>), or −1.</summary>
    internal int FirstPointRow { get; private set; } = -1;

    /// <summary>Text of the cell at <see cref="FirstPointRow"/>.</summary>
    internal string? FirstPointText { get; private set; }

    /// <summary>Numeric column: row of the first number written with thousands separators (<c>4.105,74</c>, <c>1,234,567</c>), or −1.</summary>
    internal int FirstGroupedRow { get; private set; } = -1;

    /// <summary>Text of the cell at <see cref="FirstGroupedRow"/>.</summary>
    internal string? FirstGroupedText { get; private set; }

    /// <summary>The thousands separator of the cell at <see cref="FirstGroupedRow"/>: <c>'.'</c> (beside decimal commas) or <c>','</c>.</summary>
    internal char GroupSeparator { get; private set; }

    /// <summary>
    /// Numeric column: the unit its numbers are written with (<c>%</c>, a currency symbol or a unit word: <see cref="NumberUnits"/>),
    /// as its first such cell spells it, or <see langword="null"/>. Text column: the unit of the first of its values that is a
    /// number with one, so that only numbers in that unit count as numbers (<see cref="TryParseNumber(ReadOnlySpan{char}, out double)"/>).
    /// </summary>
    internal string? Unit { get; private set; }

    /// <summary>Row of the first number written with the column's <see cref="Unit"/>, or −1.</summary>
    internal int FirstUnitRow { get; private set; } = -1;

    /// <summary>Text of the cell at <see cref="FirstUnitRow"/>.</summary>
    internal string? FirstUnitText { get; private set; }

    /// <summary>Numeric column: the first amount written with a magnitude (<c>$1.2M</c>: <see cref="NumberUnits"/>), or <see langword="null"/>.</summary>
    internal string? FirstScaledText { get; private set; }

    /// <summary>Whether the cell at <paramref name="row"/> is missing.</summary>
    /// <remarks>In a numeric column an infinity is stored as <see cref="double.NaN"/> too; <see cref="FirstNonFiniteRow"/> tells them apart.</remarks>
    public bool IsMissing(int row) => IsNumeric ? double.IsNaN(_numbers[row]) : _codes[row] < 0;

    /// <summary>Numeric column: the value at <paramref name="row"/>; <see cref="double.NaN"/> when missing.</summary>
    public double GetNumber(int row) => _numbers[row];

    /// <summary>Text column: the index into <see cref="Levels"/> of the cell at <paramref name="row"/>; −1 when missing.</summary>
    public int GetCode(int row) => _codes[row];

    /// <summary>Text column: the cell at <paramref name="row"/>; <see langword="null"/> when missing.</summary>
    public string? GetText(int row) => _codes[row] is int code and >= 0 ? _levels[code] : null;

    internal void Append(SepReader.Col cell, int row)
    {
        ReadOnlySpan<char> text = cell.Span;
        double? number = null;
        if (IsNumeric && !MissingValues.IsMissing(text))
        {
            // Sep's parser falls back to .NET's with thousands separators allowed, which would read the decimal comma of "1,5"
            // as 15: a cell with a comma is parsed here, as a decimal comma, with thousands separators or not at all. Sep's own
            // parser, faster, reads the rest.
            char group = '\0';
            if (text.Contains(',') ? TryParseUngrouped(text, _decimals, out double value)
                : ((_decimals & DecimalSeparators.Point) != 0 || !text.Contains('.')) && cell.TryParse(out value))
            {
                number = value;
            }
            else if (TryParseGrouped(text, _decimals, out double grouped, out group))
            {
                number = grouped;
            }
            else
            {
                number = ParseWithUnit(text, row, out group);
            }
            NoteSeparator(text, row, number, group);
        }
        Append(text, row, number);
    }

    /// <summary>A cell of <see cref="Table.TryReadPlain"/>, parsed by .NET's parser (the same numbers as Sep's for that text).</summary>
    internal void Append(ReadOnlySpan<char> text, int row)
    {
        double? number = null;
        if (IsNumeric && !MissingValues.IsMissing(text))
        {
            number = TryParsePlain(text, _decimals, out double value, out char group) ? value : ParseWithUnit(text, row, out group);
            NoteSeparator(text, row, number, group);
        }
        Append(text, row, number);
    }

    /// <summary>
    /// <paramref name="text"/> as a number written with one of <paramref name="decimals"/> (invariant culture otherwise: a sign,
    /// an exponent): with a point or no separator, as .NET reads it; with a decimal comma, exactly one comma and no point; or,
    /// when it is none of these, with well-formed thousands separators (<see cref="TryParseGrouped"/>).
    /// </summary>
    /// <remarks>A number with a unit (<c>33.9%</c>, <c>$1,234.50</c>, <c>5 kg</c>: <see cref="NumberUnits"/>) is a number too, whatever its unit.</remarks>
    internal static bool TryParseNumber(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value) =>
        TryParsePlain(text, decimals, out value, out _) || NumberUnits.TryParse(text, decimals, out value, out _, out _);

    /// <summary>
    /// <paramref name="text"/> as a number without a unit, with or without thousands separators (<paramref name="group"/>, or
    /// <c>'\0'</c>).
    /// </summary>
    internal static bool TryParsePlain(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value, out char group)
    {
        group = '\0';
        return TryParseUngrouped(text, decimals, out value) || TryParseGrouped(text, decimals, out value, out group);
    }

    // A numeric column's cell that is not a plain number, read as a number with a unit: the first such cell sets the column's
    // unit, and a cell with another is not a number (the column turns to text).
    private double? ParseWithUnit(ReadOnlySpan<char> text, int row, out char group)
    {
        if (!NumberUnits.TryParse(text, _decimals, out double value, out group, out ReadOnlySpan<char> unit)) return null;
        if (Unit is null)
        {
            Unit = unit.ToString();
            FirstUnitRow = row;
            FirstUnitText = text.ToString();
        }
        // Only an amount has a magnitude: "5m" with the unit word 'm' is five metres.
        if (FirstScaledText is null && unit[0] != '%' && !NumberUnits.IsWord(unit) && NumberUnits.IsScaled(text)) FirstScaledText = text.ToString();
        return NumberUnits.Same(unit, Unit) ? value : null;
    }

    private static bool TryParseUngrouped(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value)
    {
        value = 0;
        int comma = text.IndexOf(',');
        if (comma < 0)
        {
            return ((decimals & DecimalSeparators.Point) != 0 || !text.Contains('.'))
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
        if ((decimals & DecimalSeparators.Comma) == 0 || text.ContainsAnyExcept(DecimalCommaNumber) || text[(comma + 1)..].Contains(','))
        {
            return false;
        }
        return TryParseAsDotDecimal(text, removeGroups: '\0', decimalComma: true, out value);
    }

    /// <summary>
    /// <paramref name="text"/> as a number with thousands separators, tried when it is not a number without them: where a comma
    /// may be the decimal separator, points between groups (<c>4.105,74</c>, <c>1.234.567</c>, <c>-12.345,6</c>); where a point
    /// may be, commas (<c>1,234,567.89</c>; <c>271,377</c> where a comma is not a decimal separator, or where it has several
    /// groups); and with either decimal separator, spaces (<c>1 234 567,89</c>, as French, Nordic and Slavic spreadsheets
    /// write them, with a space, a no-break space or a narrow no-break space). Only well-formed groups count: 1 to 3 digits,
    /// not starting with 0, then groups of exactly 3 digits, then the decimals. <paramref name="group"/> is the thousands
    /// separator read.
    /// </summary>
    internal static bool TryParseGrouped(ReadOnlySpan<char> text, DecimalSeparators decimals, out double value, out char group)
    {
        value = 0;
        group = '\0';
        foreach ((DecimalSeparators allowed, char separator, char decimalSeparator) in GroupingConventions)
        {
            if ((decimals & allowed) != 0 && IsGrouped(text, separator, decimalSeparator))
            {
                group = separator;
                return TryParseAsDotDecimal(text, separator, decimalSeparator == ',', out value);
            }
        }
        return false;
    }

    // Points between groups beside decimal commas; commas between groups beside decimal points.
    private static readonly (DecimalSeparators Allowed, char Group, char Decimal)[] GroupingConventions =
    [
        (DecimalSeparators.Comma, '.', ','), (DecimalSeparators.Point, ',', '.'),
        (DecimalSeparators.Comma, ' ', ','), (DecimalSeparators.Point, ' ', '.'),
        (DecimalSeparators.Comma, '\u00A0', ','), (DecimalSeparators.Point, '\u00A0', '.'),
        (DecimalSeparators.Comma, '\u202F', ','), (DecimalSeparators.Point, '\u202F', '.'),
    ];

    // [+-] [1-9] d{0,2} (G ddd)+ (D d+)?
    private static bool IsGrouped(ReadOnlySpan<char> text, char group, char decimalSeparator)
    {
        int i = text.Length > 0 && text[0] is '+' or '-' ? 1 : 0;
        int lead = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i - lead is < 1 or > 3 || text[lead] == '0') return false;
        int groups = 0;
        while (i + 3 < text.Length && text[i] == group && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3])
            && (i + 4 == text.Length || !char.IsAsciiDigit(text[i + 4])))
        {
            i += 4;
            groups++;
        }
        if (groups == 0) return false;
        if (i == text.Length) return true;
        if (text[i] != decimalSeparator || i + 1 == text.Length) return false;
        for (i++; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) return false;
        }
        return true;
    }

    // The text as .NET reads a dot-decimal number: `removeGroups` left out, a decimal comma written as a point, so that the
    // number is the one its plain dot-decimal spelling gives, to the bit.
    private static bool TryParseAsDotDecimal(ReadOnlySpan<char> text, char removeGroups, bool decimalComma, out double value)
    {
        char[]? rented = text.Length > 128 ? ArrayPool<char>.Shared.Rent(text.Length) : null;
        Span<char> point = rented is null ? stackalloc char[text.Length] : rented.AsSpan(0, text.Length);
        int length = 0;
        foreach (char c in text)
        {
            if (c == removeGroups && removeGroups != '\0') continue;
            point[length++] = decimalComma && c == ',' ? '.' : c;
        }
        bool parsed = double.TryParse(point[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return parsed;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a number with this column's decimal separators, in any <paramref name="unit"/>
    /// (empty for none; a slice of <paramref name="text"/>).
    /// </summary>
    internal bool TryParseAnyUnit(ReadOnlySpan<char> text, out ReadOnlySpan<char> unit) => TryParseAnyUnit(text, out _, out unit);

    private bool TryParseAnyUnit(ReadOnlySpan<char> text, out double value, out ReadOnlySpan<char> unit)
    {
        unit = default;
        return TryParsePlain(text, _decimals, out value, out _) || NumberUnits.TryParse(text, _decimals, out value, out _, out unit);
    }

    /// <summary>
    /// This column's <paramref name="text"/> as a number (its decimal separators; a unit only if it is the column's
    /// <see cref="Unit"/>): for a column read as text whose values are used as numbers.
    /// </summary>
    internal bool TryParseNumber(ReadOnlySpan<char> text, out double value) =>
        TryParseAnyUnit(text, out value, out ReadOnlySpan<char> unit) && (unit.IsEmpty || Unit is null || NumberUnits.Same(unit, Unit));

    // Remembers the first number written with each decimal separator where either may be used: a file must not mix them
    // (Table checks). Where one is given, a number written with the other is text, so there is nothing to remember.
    // group: the thousands separator the number was written with, or '\0'.
    private void NoteSeparator(ReadOnlySpan<char> text, int row, double? number, char group)
    {
        if (number is null) return;
        if (group != '\0' && FirstGroupedRow < 0)
        {
            FirstGroupedRow = row;
            FirstGroupedText = text.ToString();
            GroupSeparator = group;
        }
        if (_decimals != DecimalSeparators.Either) return;
        // A number with points between groups is written with the decimal comma's convention, one with commas between groups
        // with the point's; one with spaces between groups, with the separator its decimals show.
        bool comma = group == '.' || (group != ',' && text.Contains(','));
        if (FirstCommaRow < 0 && comma)
        {
            FirstCommaRow = row;
            FirstCommaText = text.ToString();
        }
        else if (FirstPointRow < 0 && !comma && text.ContainsAny('.', ','))
        {
            FirstPointRow = row;
            FirstPointText = text.ToString();
        }
    }

    /// <summary>A number given in memory: NaN is a missing value, an infinity is remembered as <see cref="FirstNonFiniteRow"/>.</summary>
    internal void Append(double value, int row)
    {
        if (double.IsNaN(value))
        {
            AppendMissing("NaN", row);
            return;
        }
        if (IsNumeric && double.IsFinite(value))
        {
            _numbers.Add(value);
            _numericValues++;
            Count++;
            return;
        }
        Append(value.ToString("R", CultureInfo.InvariantCulture), row, value);
    }

    // number: the cell parsed as a number, when the column is numeric and the cell is one.
    private void Append(ReadOnlySpan<char> text, int row, double? number)
    {
        // A number's cell that is not one may be a missing one with its unit ("null bhp"): only then is it looked at again.
        if (MissingValues.IsMissing(text) || (IsNumeric && number is null && NumberUnits.IsMissingWithUnit(text)))
        {
            AppendMissing(text, row);
            return;
        }
        if (IsNumeric)
        {
            if (number is double value)
            {
                if (!double.IsFinite(value))
                {
                    if (FirstNonFiniteRow < 0)
                    {
                        FirstNonFiniteRow = row;
                        FirstNonFiniteText = text.ToString();
                    }
                    value = double.NaN;
                }
                _numbers.Add(value);
                _numericValues++;
                Count++;
                return;
            }
            SwitchToText();
        }
        AppendText(text, row);
    }

    /// <summary>A null cell of a Parquet file: missing, remembered as the text <c>null</c>.</summary>
    internal void AppendNull(int row) => AppendMissing("null", row);

    /// <summary>
    /// The cells of <paramref name="other"/> (a shard's column of the same kind) after this column's, its rows numbered from
    /// <paramref name="offset"/>: the first missing, non-finite, non-numeric and decimal-separator cells are remembered as if
    /// the shards had been one file.
    /// </summary>
    internal void AppendColumn(TableColumn other, int offset)
    {
        if (other.IsNumeric != IsNumeric)
        {
            throw new InvalidOperationException($"Column '{Name}': a {(other.IsNumeric ? "numeric" : "text")} shard appended to a {(IsNumeric ? "numeric" : "text")} column.");
        }
        if (FirstMissingRow < 0 && other.FirstMissingRow >= 0)
        {
            FirstMissingRow = offset + other.FirstMissingRow;
            FirstMissingText = other.FirstMissingText;
        }
        FirstExcelError ??= other.FirstExcelError;
        MissingCount += other.MissingCount;
        if (IsNumeric)
        {
            if (FirstNonFiniteRow < 0 && other.FirstNonFiniteRow >= 0)
            {
                FirstNonFiniteRow = offset + other.FirstNonFiniteRow;
                FirstNonFiniteText = other.FirstNonFiniteText;
            }
            if (FirstCommaRow < 0 && other.FirstCommaRow >= 0)
            {
                FirstCommaRow = offset + other.FirstCommaRow;
                FirstCommaText = other.FirstCommaText;
            }
            if (FirstPointRow < 0 && other.FirstPointRow >= 0)
            {
                FirstPointRow = offset + other.FirstPointRow;
                FirstPointText = other.FirstPointText;
            }
            if (FirstGroupedRow < 0 && other.FirstGroupedRow >= 0)
            {
                FirstGroupedRow = offset + other.FirstGroupedRow;
                FirstGroupedText = other.FirstGroupedText;
                GroupSeparator = other.GroupSeparator;
            }
            if (other.Unit is not null && Unit is not null && !NumberUnits.Same(other.Unit, Unit))
            {
                throw new InvalidOperationException($"Column '{Name}': a shard of {NumberUnits.Describe(other.Unit)} appended to {NumberUnits.Describe(Unit)}.");
            }
            if (FirstUnitRow < 0 && other.FirstUnitRow >= 0)
            {
                Unit = other.Unit;
                FirstUnitRow = offset + other.FirstUnitRow;
                FirstUnitText = other.FirstUnitText;
            }
            FirstScaledText ??= other.FirstScaledText;
            for (int r = 0; r < other.Count; r++) _numbers.Add(other._numbers[r]);
            _numericValues += other._numericValues;
            Count += other.Count;
            return;
        }
        for (int r = 0; r < other.Count; r++)
        {
            if (other._codes[r] is int code and >= 0)
            {
                AppendText(other._levels[code], offset + r);
            }
            else
            {
                _codes.Add(-1);
                Count++;
            }
        }
    }

    /// <summary>
    /// Cell <paramref name="row"/> of <paramref name="other"/> (a chunk's column of the same name), appended as row
    /// <paramref name="at"/>: a number to a numeric column, a text to a text column (a column that holds no number yet turns to
    /// text for it), a missing cell as missing. Non-finite numbers are not carried (the chunk's reader reports them).
    /// </summary>
    /// <exception cref="InvalidOperationException">A number for a text column, or a text for a column that holds numbers.</exception>
    internal void AppendCell(TableColumn other, int row, int at)
    {
        if (other.IsMissing(row))
        {
            AppendMissing("", at);
            return;
        }
        if (other.IsNumeric)
        {
            if (!IsNumeric)
            {
                throw new InvalidOperationException($"Column '{Name}': a number appended to a text column.");
            }
            if (Unit is null && other.Unit is not null)
            {
                Unit = other.Unit;
                FirstUnitRow = at;
                FirstUnitText = other.FirstUnitText;
            }
            _numbers.Add(other._numbers[row]);
            _numericValues++;
            Count++;
            return;
        }
        if (IsNumeric)
        {
            if (_numericValues > 0)
            {
                throw new InvalidOperationException($"Column '{Name}': a text appended to a column of numbers.");
            }
            SwitchToText();
        }
        AppendText(other._levels[other._codes[row]], at);
    }

    private void AppendMissing(ReadOnlySpan<char> text, int row)
    {
        if (FirstMissingRow < 0)
        {
            FirstMissingRow = row;
            FirstMissingText = text.ToString();
        }
        if (FirstExcelError is null && MissingValues.IsExcelError(text)) FirstExcelError = text.ToString();
        MissingCount++;
        if (IsNumeric) _numbers.Add(double.NaN);
        else _codes.Add(-1);
        Count++;
    }

    private void AppendText(ReadOnlySpan<char> text, int row)
    {
        if (!_levelLookup.TryGetValue(text, out int code))
        {
            code = _levels.Count;
            string value = text.ToString();
            _levels.Add(value);
            _levelIndex.Add(value, code);
            _levelBytes += LevelOverhead + 2L * value.Length;
            // Checked once per distinct value: a value seen before was checked then. The first number with a unit sets the
            // unit the column's numbers are read in, whether or not a value that is no number came before it.
            if (FirstNonNumericRow < 0 || Unit is null)
            {
                bool number = FirstNonNumericRow < 0 && TryParsePlain(text, _decimals, out _, out _);
                if (!number && NumberUnits.TryParse(text, _decimals, out _, out _, out ReadOnlySpan<char> unit))
                {
                    if (Unit is null)
                    {
                        Unit = unit.ToString();
                        FirstUnitRow = row;
                        FirstUnitText = value;
                    }
                    number = NumberUnits.Same(unit, Unit);
                }
                if (FirstNonNumericRow < 0 && !number)
                {
                    FirstNonNumericRow = row;
                    FirstNonNumericText = value;
                }
            }
        }
        _codes.Add(code);
        Count++;
    }

    // The earlier cells were all numbers or missing. Only the missing ones can be coded now (−1); if there were numbers, their
    // original text (say "1.50" rather than 1.5) is gone, so the reader reads the file again with this column as text.
    private void SwitchToText()
    {
        IsNumeric = false;
        NeedsTextReread = _numericValues > 0;
        FirstNonFiniteRow = -1;
        FirstNonFiniteText = null;
        FirstCommaRow = FirstPointRow = -1;
        FirstCommaText = FirstPointText = null;
        FirstGroupedRow = -1;
        FirstGroupedText = null;
        // The unit stays: as text, the column's numbers in it still count as numbers, and one in another unit does not.
        for (int i = 0; i < Count; i++) _codes.Add(-1);
        _numbers.Clear();
    }
}
