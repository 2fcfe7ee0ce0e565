using System.Text;

namespace Backprop.Data;

/// <summary>
/// Reads ahead to the header (the first line that is not blank) so that the delimiter can be detected from it, then hands the
/// parser the same text as if nothing had been read.
/// </summary>
/// <remarks>
/// Why not let the parser detect the delimiter: Sep looks at the first line only, blank or not, and knows neither whitespace
/// nor a file of one column. Why not read the header and open the data again: a stream source is opened once for a table.
/// What is held: the header line (bounded by the row length, as a row is) and the rest of the block it ended in. Its quotes
/// are read as <see cref="FieldQuotes"/> reads them, any delimiter a file may have starting a name. Leading blank lines are
/// not held but counted, and given back as that many line breaks, so the parser's line numbers are those of the file.
/// A first line <c>sep=;</c>, the delimiter hint Excel reads and some programs write for it, is not the header: it is given
/// back as a blank line, and <see cref="DelimiterHint"/> holds its delimiter (peek again for the header).
/// </remarks>
internal sealed class HeaderPeekReader : FilterTextReader
{
    private long _lineBreaks;
    private readonly string _held;
    private int _heldPosition;

    /// <summary>Reads <paramref name="inner"/> up to the end of its header line.</summary>
    /// <param name="inner">The text, from its start.</param>
    /// <param name="source">The name of the data in error messages.</param>
    /// <param name="maxRowLength">The resource bound on a row, the header's too (a quoted name may hold line breaks).</param>
    /// <param name="blankLines">How many lines that are not blank to take for blank ones first (a title above the header).</param>
    public HeaderPeekReader(TextReader inner, string source, int maxRowLength, int blankLines = 0) : base(inner)
    {
        var header = new StringBuilder();
        var block = new char[1 << 14];
        bool inHeader = false, carriageReturn = false;
        var quotes = new FieldQuotes();
        string rest = "";
        int count;
        while (rest.Length == 0 && (count = inner.Read(block)) > 0)
        {
            for (int i = 0; i < count; i++)
            {
                char c = block[i];
                if (!inHeader)
                {
                    // A line break ends a blank line: as the parser counts them, "\r\n" is one, and so is a lone '\r' or '\n'.
                    if (c is '\r' or '\n')
                    {
                        if (!(c == '\n' && carriageReturn)) _lineBreaks++;
                        carriageReturn = c == '\r';
                        header.Clear();
                        continue;
                    }
                    carriageReturn = false;
                    header.Append(c);
                    inHeader = c is not (' ' or '\t');
                    quotes.Step(c, FieldQuotes.IsHeaderBoundary(c));
                    continue;
                }
                quotes.Step(c, FieldQuotes.IsHeaderBoundary(c));
                if (!quotes.Quoted && c is '\r' or '\n' && blankLines > 0)
                {
                    // A line taken for blank: given back as its line break alone.
                    blankLines--;
                    _lineBreaks++;
                    carriageReturn = c == '\r';
                    inHeader = false;
                    header.Clear();
                    quotes = new FieldQuotes();
                    continue;
                }
                if (!quotes.Quoted && c is '\r' or '\n')
                {
                    rest = new string(block, i, count - i);
                    break;
                }
                header.Append(c);
                if (header.Length > maxRowLength) throw DataErrors.RowTooLong(source, _lineBreaks + 1, maxRowLength);
            }
        }
        Header = inHeader ? header.ToString() : "";
        if (Header.Length == 5 && Header.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && CsvReadOptions.IsDelimiter(Header[4]))
        {
            DelimiterHint = Header[4];
            Header = "";
        }
        _held = Header + rest;
        Ahead = rest;
    }

    /// <summary>What was read after the header, from its line break: the first lines of the rows, for a look at their layout.</summary>
    public string Ahead { get; }

    /// <summary>The delimiter of a first line <c>sep=;</c> (then <see cref="Header"/> is empty), or <see langword="null"/>.</summary>
    public char? DelimiterHint { get; }

    /// <summary>The first line that is not blank, without its line break (line breaks inside quotes kept); empty when there is none.</summary>
    public string Header { get; }

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty) return 0;
        if (_lineBreaks > 0)
        {
            int breaks = (int)Math.Min(_lineBreaks, buffer.Length);
            buffer[..breaks].Fill('\n');
            _lineBreaks -= breaks;
            return breaks;
        }
        if (_heldPosition < _held.Length)
        {
            int length = Math.Min(_held.Length - _heldPosition, buffer.Length);
            _held.AsSpan(_heldPosition, length).CopyTo(buffer);
            _heldPosition += length;
            return length;
        }
        return Inner.Read(buffer);
    }
}
