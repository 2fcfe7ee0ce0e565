namespace Backprop.Data;

/// <summary>
/// The quotes of a header line read before its delimiter is known: a quote opens a quoted name only at a name's start, that is
/// at the line's start or after a space, a tab or any delimiter a file may have (<see cref="CsvReadOptions.DetectedDelimiters"/>),
/// and <c>""</c> inside one is a quote; any other quote is a character of the name, as <see cref="FieldQuoteReader"/> reads the
/// rows once the delimiter is known.
/// </summary>
internal struct HeaderQuotes
{
    private bool _quoted, _justClosed, _inName;

    /// <summary>Whether the characters read so far leave a quoted name open.</summary>
    public readonly bool Quoted => _quoted;

    /// <summary>Reads <paramref name="c"/>; true when it is a quote that opens or closes a quoted name (not a character of it).</summary>
    public bool Step(char c)
    {
        if (_quoted)
        {
            if (c != '"') return false;
            _quoted = false;
            _justClosed = true;
            return true;
        }
        if (c == '"' && (!_inName || _justClosed))
        {
            _quoted = true;
            _inName = true;
            _justClosed = false;
            return true;
        }
        _justClosed = false;
        _inName = !(c is ' ' or '\t' || CsvReadOptions.DetectedDelimiters.Contains(c));
        return false;
    }
}
