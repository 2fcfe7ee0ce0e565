namespace Backprop.Data;

/// <summary>
/// A text reader that passes another one's text on to the CSV parser, checked or changed on the way: a subclass implements
/// <see cref="Read(Span{char})"/>, and the other ways to read go through it.
/// </summary>
/// <remarks><see cref="Peek"/> is not supported: the parser reads in blocks, and a filter would have to look ahead for it.</remarks>
internal abstract class FilterTextReader(TextReader inner) : TextReader
{
    /// <summary>The reader whose text is passed on; disposed with this one.</summary>
    protected TextReader Inner { get; } = inner;

    public abstract override int Read(Span<char> buffer);

    public sealed override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public sealed override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public sealed override int Peek() => throw new NotSupportedException("The CSV parser reads in blocks; Peek is not supported.");

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
