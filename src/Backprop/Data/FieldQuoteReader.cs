namespace Backprop.Data;

/// <summary>
/// Reads quotes as RFC 4180, Python's csv module and pandas do (<see cref="FieldQuotes"/>): a quote opens a quoted field only
/// at the start of a field (after spaces); anywhere else (<c>5'11"</c>, <c>O"Brien</c>) it is a character of the field. Such a quote is handed to the
/// parser as <see cref="StandIn"/>, which <see cref="Restore"/> turns back into the quote in the cell. Also bounds the length
/// of a row (lines joined by quoted line breaks), and refuses a quote still open at the end of the data.
/// </summary>
/// <remarks>
/// Why: the parser (Sep) opens quotes wherever they are, so a quote inside an unquoted field read the rest of the line, and
/// the lines after it up to the next quote, as one field: two such quotes merged two rows into one with no error (a height
/// column of <c>5.11"</c> and <c>6.0"</c> gave 5 rows of 6), and one alone read to the end of the file. An unquoted field has
/// no escape for a quote, so the parser is given a character it does not treat specially instead. U+FFFF is a noncharacter,
/// not for interchange; a file that holds it and a quote inside a field is refused rather than read with the two confused.
/// Line breaks are <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> for where fields start; lines are counted by <c>\n</c>, as in
/// <see cref="CheckedTextReader"/>'s messages.
/// </remarks>
internal sealed class FieldQuoteReader : FilterTextReader
{
    /// <summary>What the parser is given for a quote inside an unquoted field.</summary>
    public const char StandIn = '\uFFFF';

    private readonly char _delimiter;
    private readonly bool _whitespace;
    private readonly string _source;
    private readonly int _maxRowLength;
    private FieldQuotes _quotes;
    private long _line = 1, _rowStartLine = 1, _quoteLine, _rowLength;
    private bool _standInInData;

    /// <param name="inner">The text, from its first line.</param>
    /// <param name="delimiter">The field delimiter; ignored with <paramref name="whitespace"/>.</param>
    /// <param name="whitespace">Fields are delimited by runs of spaces and tabs (<see cref="CsvReadOptions.Whitespace"/>).</param>
    /// <param name="source">The name of the data in error messages.</param>
    /// <param name="maxRowLength">The resource bound on a row, in characters.</param>
    public FieldQuoteReader(TextReader inner, char delimiter, bool whitespace, string source, int maxRowLength) : base(inner)
    {
        _delimiter = delimiter;
        _whitespace = whitespace;
        _source = source;
        _maxRowLength = maxRowLength;
    }

    /// <summary>Whether some quote was read as a character of its field (cells may hold <see cref="StandIn"/>).</summary>
    public bool ReplacedQuotes { get; private set; }

    /// <summary>A cell as the file has it: each <see cref="StandIn"/> back to a quote.</summary>
    public static string Restore(ReadOnlySpan<char> cell) => cell.ToString().Replace(StandIn, '"');

    public override int Read(Span<char> buffer)
    {
        int count = Inner.Read(buffer);
        if (count == 0)
        {
            if (!buffer.IsEmpty && _quotes.Quoted) throw DataErrors.UnterminatedQuote(_source, _quoteLine);
            return 0;
        }
        Span<char> chunk = buffer[..count];
        if (_quotes.InQuotedField || chunk.IndexOfAny('"', StandIn) >= 0)
        {
            Scan(chunk);
        }
        else
        {
            Skim(chunk);
        }
        if (_standInInData && ReplacedQuotes) throw DataErrors.StandInAndStrayQuote(_source, StandIn);
        return count;
    }

    private bool IsDelimiter(char c) => _whitespace ? c is ' ' or '\t' : c == _delimiter;

    // Nearly every chunk: no quote, and not in a quoted field, so rows are lines, and only the state at the end matters.
    private void Skim(ReadOnlySpan<char> chunk)
    {
        if (chunk.Length <= _maxRowLength)
        {
            // Then so are the lines wholly inside it: only the row carried over from the chunk before needs measuring.
            int first = chunk.IndexOfAny('\n', '\r');
            if (_rowLength + (first < 0 ? chunk.Length : first) > _maxRowLength)
            {
                throw DataErrors.RowTooLong(_source, _rowStartLine, _maxRowLength);
            }
            if (first < 0)
            {
                _rowLength += chunk.Length;
            }
            else
            {
                _line += chunk.Count('\n');
                _rowStartLine = _line;
                _rowLength = chunk.Length - 1 - chunk.LastIndexOfAny('\n', '\r');
            }
        }
        else
        {
            for (ReadOnlySpan<char> rest = chunk; ;)
            {
                int lineBreak = rest.IndexOfAny('\n', '\r');
                if (_rowLength + (lineBreak < 0 ? rest.Length : lineBreak) > _maxRowLength)
                {
                    throw DataErrors.RowTooLong(_source, _rowStartLine, _maxRowLength);
                }
                if (lineBreak < 0)
                {
                    _rowLength += rest.Length;
                    break;
                }
                if (rest[lineBreak] == '\n') _line++;
                _rowStartLine = _line;
                _rowLength = 0;
                rest = rest[(lineBreak + 1)..];
            }
        }
        // The field the chunk ends in: what follows its last boundary.
        _quotes.Skip(chunk, _whitespace ? chunk.LastIndexOfAny(" \t\n\r") : chunk.LastIndexOfAny(_delimiter, '\n', '\r'));
    }

    private void Scan(Span<char> chunk)
    {
        for (int i = 0; i < chunk.Length; i++)
        {
            char c = chunk[i];
            bool lineBreak = c is '\n' or '\r';
            switch (_quotes.Step(c, lineBreak || IsDelimiter(c)))
            {
                case FieldQuotes.Role.Opens:
                    _quoteLine = _line;
                    break;
                case FieldQuotes.Role.Character:
                    chunk[i] = StandIn;
                    ReplacedQuotes = true;
                    break;
            }
            if (c == StandIn) _standInInData = true;
            if (lineBreak && !_quotes.Quoted)
            {
                // The row ends (a "\r\n" ends it at the '\r', and the '\n' starts the next as an empty line would).
                if (c == '\n') _line++;
                _rowStartLine = _line;
                _rowLength = 0;
                continue;
            }
            if (c == '\n') _line++;
            if (++_rowLength > _maxRowLength) throw DataErrors.RowTooLong(_source, _rowStartLine, _maxRowLength);
        }
    }
}
