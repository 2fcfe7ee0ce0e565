namespace Backprop.Data;

/// <summary>
/// The quote rule of RFC 4180, Python's csv module and pandas, one character at a time: a quote opens a quoted field only at
/// the start of a field (after spaces), <c>""</c> inside one is a quote, and any other quote is a character of its field.
/// What starts a field is the caller's: the delimiter and line breaks for <see cref="FieldQuoteReader"/>, and any delimiter a
/// file may have, a space or a tab for a header read before its delimiter is known (<see cref="IsHeaderBoundary"/>).
/// </summary>
internal struct FieldQuotes
{
    /// <summary>What a character read is.</summary>
    public enum Role
    {
        /// <summary>Text of a field, or a boundary (an escaped quote <c>""</c> in a quoted field is text).</summary>
        Text,

        /// <summary>The quote that opens a quoted field.</summary>
        Opens,

        /// <summary>A quote that closes a quoted field (unless a second quote follows: then that one is text).</summary>
        Closes,

        /// <summary>A quote inside an unquoted field, or after a quoted field's closing quote: a character of the field.</summary>
        Character,
    }

    private enum State
    {
        FieldStart,    // nothing but spaces read of the field yet
        Unquoted,      // in an unquoted field
        Quoted,        // in a quoted field
        QuoteInQuoted, // just after a quote in a quoted field: it closed the field, unless another quote follows ("")
        AfterQuoted,   // after a quoted field's closing quote, before its boundary
    }

    private State _state;

    /// <summary>Whether a quoted field is open: its line breaks and boundaries are text.</summary>
    public readonly bool Quoted => _state == State.Quoted;

    /// <summary>Whether the last character read was in a quoted field or its closing quote (a quote next would be text).</summary>
    public readonly bool InQuotedField => _state is State.Quoted or State.QuoteInQuoted;

    /// <summary>Reads <paramref name="c"/>, a boundary between fields (or a line break) when <paramref name="boundary"/>.</summary>
    public Role Step(char c, bool boundary)
    {
        switch (_state)
        {
            case State.FieldStart:
                if (c == '"')
                {
                    _state = State.Quoted;
                    return Role.Opens;
                }
                if (!(boundary || c == ' ')) _state = State.Unquoted;
                return Role.Text;
            case State.Quoted:
                if (c != '"') return Role.Text;
                _state = State.QuoteInQuoted;
                return Role.Closes;
            case State.QuoteInQuoted:
                _state = c == '"' ? State.Quoted : boundary ? State.FieldStart : State.AfterQuoted;
                return Role.Text;
            default: // Unquoted, AfterQuoted
                if (c == '"') return Role.Character;
                if (boundary) _state = State.FieldStart;
                return Role.Text;
        }
    }

    /// <summary>
    /// Reads a stretch of text without quotes outside a quoted field at once: <paramref name="boundary"/> is the index of its
    /// last boundary (−1 for none); a field then starts, and is under way if the text after it is not spaces only.
    /// </summary>
    public void Skip(ReadOnlySpan<char> text, int boundary)
    {
        if (boundary >= 0) _state = State.FieldStart;
        if (_state == State.FieldStart && !text[(boundary + 1)..].TrimStart(' ').IsEmpty) _state = State.Unquoted;
    }

    /// <summary>Whether <paramref name="c"/> may start a field of a header whose delimiter is not known yet.</summary>
    public static bool IsHeaderBoundary(char c) => c is ' ' or '\t' || CsvReadOptions.DetectedDelimiters.Contains(c);
}
