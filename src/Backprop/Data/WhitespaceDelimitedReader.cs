namespace Backprop.Data;

/// <summary>
/// Text delimited by runs of spaces and tabs (<see cref="CsvReadOptions.Whitespace"/>), given to the parser as fields delimited
/// by one space: each run outside quotes becomes one space, and the runs at the start and end of a line are dropped.
/// </summary>
/// <remarks>
/// Why rewrite the text rather than split it: the parser then does the quoting, unescaping and line counting as for any other
/// delimiter. Line breaks are kept, so line numbers are the file's. Quotes are counted as the parser and
/// <see cref="CheckedTextReader"/> count them, so spaces inside a quoted field stay as they are.
/// </remarks>
internal sealed class WhitespaceDelimitedReader(TextReader inner) : FilterTextReader(inner)
{
    /// <summary>The delimiter the parser is given for the rewritten text.</summary>
    public const char Delimiter = ' ';

    private readonly char[] _block = new char[1 << 14];
    private int _next, _end;
    private bool _quoted, _lineStart = true, _run;

    public override int Read(Span<char> buffer)
    {
        int written = 0;
        while (written < buffer.Length)
        {
            if (_next == _end)
            {
                if (written > 0) break; // give what is ready rather than wait for more
                _end = Inner.Read(_block);
                _next = 0;
                if (_end == 0) return 0; // a run at the very end is trailing: dropped
            }
            char c = _block[_next];
            if (!_quoted)
            {
                if (c is ' ' or '\t')
                {
                    _run = !_lineStart;
                    _next++;
                    continue;
                }
                if (c is '\r' or '\n')
                {
                    _run = false; // trailing
                    _lineStart = true;
                }
                else if (_run)
                {
                    // The run between two fields, written before the character that follows it (which waits for the next slot).
                    buffer[written++] = Delimiter;
                    _run = false;
                    continue;
                }
                else
                {
                    _lineStart = false;
                }
            }
            if (c == '"') _quoted = !_quoted;
            buffer[written++] = c;
            _next++;
        }
        return written;
    }
}
