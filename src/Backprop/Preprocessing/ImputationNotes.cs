using System.Globalization;
using System.Text.RegularExpressions;

namespace Backprop.Preprocessing;

/// <summary>
/// Says the imputation of many columns in one note instead of one note a column (statsmodels' fertility data: 49 notes
/// <c>imputed 12 missing value(s) in column '1960' with the mean 5.2</c>, which bury every other note).
/// </summary>
internal static partial class ImputationNotes
{
    /// <summary>More columns imputed than this are said in one note.</summary>
    public const int MaxNotes = 5;

    // The columns a summary names by name before it counts the rest.
    private const int Named = 5;

    /// <summary>
    /// <paramref name="notes"/> as they are when at most <see cref="MaxNotes"/> say a column's imputation; otherwise with those
    /// notes replaced, where the first was, by one: <c>imputed 1,234 missing values in 49 columns ('1960': 12, '1961': 10, …
    /// and 44 more), each with its mean</c>.
    /// </summary>
    public static IReadOnlyList<string> Summarize(IReadOnlyList<string> notes)
    {
        var imputed = notes.Select(note => Imputed().Match(note)).Where(m => m.Success).ToList();
        if (imputed.Count <= MaxNotes)
        {
            return notes;
        }
        long total = imputed.Sum(m => long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));
        string named = string.Join(", ", imputed.Take(Named).Select(m => $"'{m.Groups["column"].Value}': {m.Groups["count"].Value}"));
        string more = imputed.Count > Named ? $" and {imputed.Count - Named} more" : "";
        // "with the mean 5.2", "with the training median 3", "with the most frequent value 'red'" → "its mean or most frequent value";
        // "in the training data" after it, not "its training most frequent value", when the data is not what they were learnt on.
        var fills = imputed.Select(m => m.Groups["with"].Value).Select(Fill).Distinct().ToList();
        bool training = imputed.Any(m => m.Groups["with"].Value.Contains("training", StringComparison.Ordinal));
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"imputed {total:N0} missing values in {imputed.Count} columns ({named}{more}), each with its {string.Join(" or ", fills)}{(training ? " in the training data" : "")}");
        int first = notes.ToList().IndexOf(imputed[0].Value);
        return [.. notes.Take(first), summary, .. notes.Skip(first).Where(note => !Imputed().IsMatch(note))];
    }

    private static string Fill(string with) =>
        with.Contains("median", StringComparison.Ordinal) ? "median"
        : with.Contains("mean", StringComparison.Ordinal) ? "mean"
        : "most frequent value";

    [GeneratedRegex(@"^imputed (?<count>\d+) missing value\(s\) in column '(?<column>.*)' with (?<with>.*)$")]
    private static partial Regex Imputed();
}
