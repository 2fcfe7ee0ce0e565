namespace Backprop.Data;

/// <summary>The delimiter of a file, from its header line (<see cref="CsvReadOptions.DetectedDelimiters"/> says the rule).</summary>
internal static class DelimiterDetection
{
    /// <summary>
    /// The delimiter of a file whose header line is <paramref name="header"/>; <see langword="null"/> when the header is one name
    /// (then any delimiter reads it as one column).
    /// </summary>
    public static char? Detect(ReadOnlySpan<char> header)
    {
        IReadOnlyList<char> candidates = CsvReadOptions.DetectedDelimiters;
        Span<int> counts = stackalloc int[candidates.Count];
        var quotes = new FieldQuotes();
        foreach (char c in header)
        {
            if (quotes.Step(c, FieldQuotes.IsHeaderBoundary(c)) is not FieldQuotes.Role.Text || quotes.Quoted) continue;
            for (int d = 0; d < candidates.Count; d++)
            {
                if (c == candidates[d]) counts[d]++;
            }
        }
        int best = 0;
        for (int d = 1; d < counts.Length; d++)
        {
            if (counts[d] > counts[best]) best = d;
        }
        if (counts[best] > 0) return candidates[best];
        // None of them: names separated by spaces are a file laid out in columns, such as statsmodels' or R's text data.
        return Names(header) >= 2 ? CsvReadOptions.Whitespace : null;
    }

    /// <summary>The number of names in a header split on runs of spaces outside quotes (a quoted name may hold spaces).</summary>
    public static int Names(ReadOnlySpan<char> header)
    {
        int names = 0;
        bool inName = false;
        var quotes = new FieldQuotes();
        foreach (char c in header)
        {
            quotes.Step(c, FieldQuotes.IsHeaderBoundary(c));
            if (!quotes.Quoted && c == ' ')
            {
                inName = false;
                continue;
            }
            if (!inName) names++;
            inName = true;
        }
        return names;
    }
}
