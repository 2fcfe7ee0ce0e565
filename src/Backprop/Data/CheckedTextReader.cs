using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Backprop.Data;

/// <summary>
/// Decodes a stream as strict UTF-8 (or UTF-16/32 when it starts with that byte-order mark) for the CSV parser, and stops early
/// on what is not a CSV file: a NUL character, bytes that are not UTF-8, a line longer than the resource bound on a row.
/// </summary>
/// <remarks>
/// Why a wrapper rather than checks on parsed rows: the parser buffers a whole row before handing it over, so a file with no
/// line break would be read into memory entire before any row-level check could run. Here every chunk is checked as it is
/// decoded, with vectorized searches, so the cost is a small fraction of parsing. Lines, not rows: quotes (a row may span
/// lines inside them) are read once the delimiter is known, by <see cref="FieldQuoteReader"/>, which bounds whole rows; this
/// bound comes first, so that the header's detection cannot read a file without line breaks whole either.
/// </remarks>
internal sealed class CheckedTextReader : FilterTextReader
{
    private readonly Func<Stream>? _reopen;
    private readonly string _source;
    private readonly int _maxRowLength;
    private long _line = 1;
    private long _lineLength;

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

    /// <summary>
    /// Whether lines are measured against the bound (from the start); turned off once a <see cref="FieldQuoteReader"/> reads the
    /// text after this one, which bounds whole rows from the first line on.
    /// </summary>
    public bool BoundsLines { get; set; } = true;

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
        if (!BoundsLines)
        {
            _line += chunk.Count('\n'); // for the line of a NUL or an invalid byte
            return;
        }
        // Only until the header is read and the delimiter known (then BoundsLines is off): line by line is fast enough.
        for (ReadOnlySpan<char> rest = chunk; ;)
        {
            int lineBreak = rest.IndexOf('\n');
            if (_lineLength + (lineBreak < 0 ? rest.Length : lineBreak) > _maxRowLength)
            {
                throw DataErrors.RowTooLong(_source, _line, _maxRowLength);
            }
            if (lineBreak < 0)
            {
                _lineLength += rest.Length;
                return;
            }
            _line++;
            _lineLength = 0;
            rest = rest[(lineBreak + 1)..];
        }
    }
}
