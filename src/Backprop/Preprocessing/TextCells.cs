using Backprop.Data;

namespace Backprop.Preprocessing;

/// <summary>A column's cells as codes into its distinct text values (−1 when missing).</summary>
/// <remarks>A column read as numbers is accepted only when every cell is missing (then it has no text to lose).</remarks>
internal readonly struct TextCells
{
    private readonly TableColumn _column;

    /// <exception cref="ArgumentException">The column was read as numbers: read the file with the preprocessor's read options.</exception>
    public TextCells(TableColumn column)
    {
        if (column.IsNumeric && column.MissingCount != column.Count)
        {
            throw new ArgumentException(
                $"Expected column '{column.Name}' read as text (see TabularPreprocessor.ReadOptions and TabularOptions.ReadOptions). Received: a numeric column.",
                nameof(column));
        }
        _column = column;
    }

    public int Code(int row) => _column.IsNumeric ? -1 : _column.GetCode(row);

    /// <summary><paramref name="map"/> applied to each distinct value, indexed by code.</summary>
    public int[] MapLevels(Func<string, int> map)
    {
        if (_column.IsNumeric) return [];
        // A loop, not Select(…).ToArray() into ints (see LevelsIn).
        IReadOnlyList<string> levels = _column.Levels;
        var mapped = new int[levels.Count];
        for (int code = 0; code < mapped.Length; code++) mapped[code] = map(levels[code]);
        return mapped;
    }

    /// <summary>How often each distinct value occurs in <paramref name="rows"/>, indexed by code.</summary>
    public int[] CountLevels(int[] rows, out int missing)
    {
        var counts = new int[_column.IsNumeric ? 0 : _column.Levels.Count];
        missing = 0;
        foreach (int r in rows)
        {
            int code = Code(r);
            if (code < 0) missing++;
            else counts[code]++;
        }
        return counts;
    }

    /// <summary>The distinct values that occur in <paramref name="rows"/>.</summary>
    public IEnumerable<string> LevelsIn(int[] rows)
    {
        int[] counts = CountLevels(rows, out _);
        IReadOnlyList<string> levels = _column.Levels;
        // A list, not Range(…).Where(…) over ints: the framework's generic code over value types is compiled at first use in every
        // run that reads a text target (docs/performance.md, "Start-up").
        var present = new List<string>();
        for (int code = 0; code < counts.Length; code++)
        {
            if (counts[code] > 0) present.Add(levels[code]);
        }
        return present;
    }
}
