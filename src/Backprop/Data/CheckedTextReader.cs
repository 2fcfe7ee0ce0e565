using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Backprop.Data;

/// <summary>
/// Decodes a stream as strict UTF-8 (or UTF-16/32 when it starts with that byte-order mark) for the CSV parser, and stops early
/// on what is not a CSV file: a NUL character, bytes that are not UTF-8, a row longer than the resource bound, or a quote that
/// is still open at the end of the data.
/// </summary>
/// <remarks>
/// Why a wrapper rather than checks on parsed rows: the parser buffers a whole row before handing it over, so a file with no
/// line break (or an unclosed quote) would be read into memory entire before any row-level check could run. Here every chunk is
/// checked as it is decoded, with vectorized searches, so the cost is a small fraction of parsing.
/// A row ends at a line break outside quotes; quotes are counted per line, which is exact for RFC 4180 files
/// (an escaped quote is two quote characters, so the parity is unchanged). The parser counts quotes the same way, so a quote still
/// open at the end means that it read every line after that quote as one field: the row count and every value after it would be
/// wrong, and the file is refused with the line where that quote opened.
/// </remarks>
internal sealed class CheckedTextReader : FilterTextReader
{
    private readonly Func<Stream>? _reopen;
    private readonly string _source;
    private readonly int _maxRowLength;
    private long _line = 1;
    private long _rowStartLine = 1;
    private long _rowLength;
    private bool _insideQuotes;
    private long _quoteLine;

    /// <param name="stream">The bytes to decode.</param>
    /// <param name="source">The name of the data in error messages.</param>
    /// <param name="maxRowLength">The resource bound on a row, in characters.</param>
    /// <param name="reopen">Opens the same bytes again, to find the line of an invalid byte (only then); optional.</param>
    public CheckedTextReader(Stream stream, string source, int maxRowLength, Func<Stream>? reopen = null)
        // throwOnInvalidBytes: a decoder that silently substitutes U+FFFD would turn a binary file into plausible "text".
        : base(new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16))
    {
        _reopen = reopen;
        _source = source;
        _maxRowLength = maxRowLength;
    }

    public override int Read(Span<char> buffer)
    {
        int count;
        try
        {
            count = Inner.Read(buffer);
        }
        catch (DecoderFallbackException)
        {
            // The decoder fails on a whole block, so where the bad byte is must be found again.
            if (_reopen is null) throw DataErrors.NotTextEncoding(_source, _line, exact: false);
            using Stream again = _reopen();
            throw DataErrors.NotTextEncoding(_source, LineOfFirstInvalidByte(again), exact: true);
        }
        if (count == 0 && !buffer.IsEmpty && _insideQuotes)
        {
            throw DataErrors.UnterminatedQuote(_source, _quoteLine);
        }
        Check(buffer[..count]);
        return count;
    }

    // Line breaks are counted on the bytes: in UTF-8 the byte '\n' never occurs inside a multi-byte character.
    private static long LineOfFirstInvalidByte(Stream stream)
    {
        var bytes = new byte[1 << 16];
        var chars = new char[bytes.Length];
        long line = 1;
        int carried = 0;
        while (true)
        {
            int count = stream.ReadAtLeast(bytes.AsSpan(carried), bytes.Length - carried, throwOnEndOfStream: false);
            int total = carried + count;
            bool final = total < bytes.Length;
            OperationStatus status = Utf8.ToUtf16(bytes.AsSpan(0, total), chars, out int read, out _, replaceInvalidSequences: false, isFinalBlock: final);
            line += bytes.AsSpan(0, read).Count((byte)'\n');
            if (status == OperationStatus.InvalidData || final) return line;
            carried = total - read;
            bytes.AsSpan(read, carried).CopyTo(bytes);
        }
    }

    private void Check(ReadOnlySpan<char> chunk)
    {
        int nul = chunk.IndexOf('\0');
        if (nul >= 0)
        {
            throw DataErrors.NotTextNul(_source, _line + chunk[..nul].Count('\n'));
        }
        // Fast path, nearly every chunk: no quote, so rows are lines, and the lines wholly inside a chunk shorter than the
        // bound are shorter than the bound; only the line carried over from the previous chunk needs its length checked.
        if (!_insideQuotes && chunk.Length <= _maxRowLength && !chunk.Contains('"'))
        {
            int first = chunk.IndexOf('\n');
            if (_rowLength + (first < 0 ? chunk.Length : first) > _maxRowLength)
            {
                throw DataErrors.RowTooLong(_source, _rowStartLine, _maxRowLength);
            }
            if (first < 0)
            {
                _rowLength += chunk.Length;
                return;
            }
            _line += chunk.Count('\n');
            _rowStartLine = _line;
            _rowLength = chunk.Length - 1 - chunk.LastIndexOf('\n');
            return;
        }
        while (!chunk.IsEmpty)
        {
            int newline = chunk.IndexOf('\n');
            ReadOnlySpan<char> segment = newline < 0 ? chunk : chunk[..newline];
            _rowLength += segment.Length;
            int quotes = segment.Count('"');
            if ((quotes & 1) == 1) _insideQuotes = !_insideQuotes;
            // A quote open after a segment with quotes is its last one (it may close one and open another: y","z).
            if (quotes > 0 && _insideQuotes) _quoteLine = _line;
            if (_rowLength > _maxRowLength)
            {
                throw DataErrors.RowTooLong(_source, _rowStartLine, _maxRowLength);
            }
            if (newline < 0) break;
            _line++;
            if (!_insideQuotes)
            {
                _rowLength = 0;
                _rowStartLine = _line;
            }
            chunk = chunk[(newline + 1)..];
        }
    }
}
