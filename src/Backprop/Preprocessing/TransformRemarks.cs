using System.Globalization;
using System.Text.RegularExpressions;

namespace Backprop.Preprocessing;

/// <summary>
/// The warnings (or notes) of a transform applied to a table chunk by chunk (<see cref="Data.Table.ReadChunks(string, Data.CsvReadOptions?, int)"/>),
/// said as the transform of the whole table would say them: the messages of the chunks that differ only in their count of
/// rows or values (<c>3 row(s) with a category not seen in training</c>, <c>imputed 12 missing value(s)</c>, <c>skipped 2
/// row(s)</c>) are one message with the counts summed and the first chunk's example; any other message is said once.
/// </summary>
public sealed partial class TransformRemarks
{
    private readonly List<(string Key, long Count, string First)> _messages = [];

    /// <summary>The messages so far, in the order they were first said, their counts summed; the imputation of many columns said in one.</summary>
    public IReadOnlyList<string> Messages =>
        ImputationNotes.Summarize([.. _messages.Select(m => m.Count < 0 ? m.First : Count().Replace(m.First, m.Count.ToString(CultureInfo.InvariantCulture), 1))]);

    /// <summary>Adds a chunk's messages.</summary>
    public void Add(IEnumerable<string> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (string message in messages)
        {
            Match count = Count().Match(message);
            string key = count.Success ? Example().Replace(Count().Replace(message, "#", 1), "") : message;
            long rows = count.Success ? long.Parse(count.Value, CultureInfo.InvariantCulture) : -1;
            int known = _messages.FindIndex(m => m.Key == key);
            if (known < 0)
            {
                _messages.Add((key, rows, message));
            }
            else if (rows >= 0)
            {
                _messages[known] = _messages[known] with { Count = _messages[known].Count + rows };
            }
        }
    }

    // The count of a message: the number before "row(s)" or "missing value(s)".
    [GeneratedRegex(@"\d+(?= (?:row|missing value)\(s\))")]
    private static partial Regex Count();

    // The example a message of unseen categories gives: "(such as 'teal')".
    [GeneratedRegex(@" \(such as '.*?'\)")]
    private static partial Regex Example();
}
