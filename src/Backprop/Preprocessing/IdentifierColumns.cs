using System.Globalization;
using Backprop.Data;

namespace Backprop.Preprocessing;

/// <summary>
/// Recognizes columns that identify rows rather than describe them (a row number, a patient id, a key): as features they
/// would let a network memorize rows, and on new data they mean nothing.
/// </summary>
/// <remarks>
/// <para>
/// A numeric column is an identifier when its values are integers, none missing, and either (1) it is the file's first column
/// or is named like an identifier, and counts rows or groups of rows in file order, as the row numbers written by R's
/// <c>write.csv</c>, pandas' <c>to_csv</c> or a spreadsheet do: starting at 0 or 1, each row adding 0 or 1, with at least one
/// distinct value per ten rows (statsmodels' spector <c>OBS</c>, modechoice's <c>individual</c>); or (2) it is named like an
/// identifier (a word <c>id</c> in its name, such as <c>ID</c>, <c>PassengerId</c>, <c>customer_id</c>; or <c>index</c>,
/// <c>obs</c>, <c>rownames</c>, …) and at least half of its values are distinct (MASS <c>biopsy</c>'s <c>ID</c>: 645 of 699).
/// </para>
/// <para>
/// Deliberately not identifiers: an increasing integer column that does not start at 0 or 1 (a year in a time series, a
/// real predictor), a counter in another column without such a name (a time step, perhaps), and unique integers without
/// such a name (an amount in dollars). A text column's rule is in <see cref="TextReason"/>.
/// </para>
/// </remarks>
internal static class IdentifierColumns
{
    private static readonly HashSet<string> IdentifierNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "index", "idx", "obs", "row", "rownames", "row.names", "rowid", "row_id", "row_number", "rownum", "unnamed: 0", "key", "uuid", "guid",
    };

    /// <summary>Why numeric <paramref name="column"/> is an identifier (a note's reason), or <see langword="null"/>.</summary>
    public static string? NumericReason(TableColumn column, int minRows)
    {
        int rows = column.Count;
        if (rows < minRows || column.MissingCount > 0)
        {
            return null;
        }
        bool named = IsNamedLikeIdentifier(column.Name);
        double first = column.GetNumber(0), previous = first, last = first;
        bool counts = first is 0 or 1 && (column.Index == 0 || named), integers = true;
        for (int r = 0; r < rows && integers; r++)
        {
            double value = column.GetNumber(r);
            integers = value == Math.Round(value) && double.IsFinite(value);
            if (r > 0)
            {
                double step = value - previous;
                counts &= step is 0 or 1;
            }
            previous = last = value;
        }
        if (!integers)
        {
            return null;
        }
        int distinct = counts ? (int)(last - first) + 1 : -1;
        if (counts && distinct >= minRows && distinct * 10 >= rows)
        {
            string what = distinct == rows ? "it numbers the rows" : "it numbers groups of rows";
            return $"{what} ({Number(first)} to {Number(last)} in file order)";
        }
        if (named)
        {
            distinct = DistinctCount(column);
            if (distinct * 2 >= rows)
            {
                return $"named like an identifier, with {distinct:N0} distinct integers in {rows:N0} rows";
            }
        }
        return null;
    }

    /// <summary>
    /// Why a text column with <paramref name="distinct"/> values in <paramref name="present"/> non-missing cells is an
    /// identifier or too close to one to learn from, or <see langword="null"/>: every value distinct (names, keys), or more than
    /// half of them and at least <paramref name="minRows"/> (penguins_raw's <c>Individual ID</c>: 190 in 344 rows), so that most
    /// categories would be seen once or twice.
    /// </summary>
    public static string? TextReason(int distinct, int present, int minRows)
    {
        if (present < minRows)
        {
            return null;
        }
        if (distinct == present)
        {
            return $"identifier-like (all {present:N0} values distinct)";
        }
        return distinct * 2 > present && distinct >= minRows
            ? $"identifier-like ({distinct:N0} distinct values in {present:N0} rows: most categories would be seen once or twice)"
            : null;
    }

    // Words that, after the id, make the name a measure of the ids rather than one (video_id_count, user_id_mean).
    private static readonly HashSet<string> QuantityWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "counts", "n", "total", "sum", "mean", "avg", "average", "median", "min", "max", "rate", "ratio", "pct", "percent",
        "share", "frequency", "freq", "len", "length", "size",
    };

    /// <summary>
    /// Whether <paramref name="name"/> is a word <c>id</c> with others (<c>customer_id</c>, <c>PassengerId</c>, <c>Individual ID</c>),
    /// not followed by a word of quantity (<c>video_id_count</c> counts), or a name such as <c>index</c>.
    /// </summary>
    public static bool IsNamedLikeIdentifier(string name)
    {
        if (IdentifierNames.Contains(name.Trim())) return true;
        string[] words = [.. Words(name)];
        int id = Array.FindLastIndex(words, word => word.Equals("id", StringComparison.OrdinalIgnoreCase));
        return id >= 0 && !words.Skip(id + 1).Any(QuantityWords.Contains);
    }

    // "PassengerId" → Passenger, Id; "customer_id" → customer, id; "ID" → ID; "paid" → paid; "IDCode" → IDCode (one word: ambiguous).
    private static IEnumerable<string> Words(string name)
    {
        int start = 0;
        for (int i = 1; i <= name.Length; i++)
        {
            bool end = i == name.Length || !char.IsLetterOrDigit(name[i]) || (char.IsUpper(name[i]) && char.IsLower(name[i - 1]));
            if (end)
            {
                int from = start;
                while (from < i && !char.IsLetterOrDigit(name[from])) from++;
                if (from < i) yield return name[from..i];
                start = i;
            }
        }
    }

    private static int DistinctCount(TableColumn column)
    {
        var seen = new HashSet<double>();
        for (int r = 0; r < column.Count; r++) seen.Add(column.GetNumber(r));
        return seen.Count;
    }

    private static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
