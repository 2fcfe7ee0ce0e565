using System.Reflection;
using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary><see cref="Table.TryReadPlain"/> (the embedded data sets' reader, without Sep) against Sep's reader on the same text.</summary>
public sealed class PlainCsvTests
{
    [Theory]
    [InlineData("iris")]
    [InlineData("wine")]
    public void Embedded_files_read_as_the_csv_reader_reads_them(string name)
    {
        string text;
        using (var reader = new StreamReader(typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream($"Backprop.Data.{name}.csv")!))
        {
            text = reader.ReadToEnd();
        }
        Table? plain = Table.TryReadPlain(text, name, new CsvReadOptions());
        Assert.NotNull(plain);
        AssertSame(ReadWithSep(text), plain);
        AssertSame(plain, EmbeddedDatasets.ReadTable(name));
    }

    [Theory]
    [InlineData("x,name,y\n1.5,ab,3\n-2e3,cd,4\n0,ab,5\n")]
    [InlineData("a,b\n1,NA\n,null\nNaN,x\nN/A,y\n")]                          // missing cells in numeric and text columns
    [InlineData("a,\n\n1,2\n\n3,4\n\n\n")]                                     // blank lines, an unnamed column
    [InlineData("f,g\n1e308,-0\n1e999,+7\n.5,5.\n")]                           // an infinity, signs
    [InlineData("n,label\n1,setosa\n2,versicolor\n3,setosa")]                  // no final line break
    [InlineData("big,small\n123456789012345678901234567890,0.1000000000000000055511151231257827\n")]
    public void Plain_text_reads_as_the_csv_reader_reads_it(string text)
    {
        Table? plain = Table.TryReadPlain(text, "data.csv", new CsvReadOptions());
        Assert.NotNull(plain);
        AssertSame(ReadWithSep(text), plain);
    }

    [Theory]
    [InlineData("a,b,\n1,2,\n3,4,\n")] // an unnamed column without a value, left out with a note
    [InlineData("a,b\nr1,1,2\nr2,3,4\n")] // row names, left out with a note
    public void Layouts_with_a_note_are_left_to_the_csv_reader(string text)
    {
        Assert.Null(Table.TryReadPlain(text, "data.csv", new CsvReadOptions()));
        Assert.NotEmpty(ReadWithSep(text).Notes);
    }

    [Fact]
    public void Text_columns_are_honoured()
    {
        const string text = "zip,n\n02134,1\n10001,2\n";
        var options = new CsvReadOptions(TextColumns: ["zip"]);
        Table plain = Table.TryReadPlain(text, "data.csv", options)!;
        Assert.Equal(["02134", "10001"], plain.Find("zip")!.Levels);
        AssertSame(ReadWithSep(text, options), plain);
    }

    [Theory]
    [InlineData("a,b\n1,2\n1,2,3\n")] // ragged row
    [InlineData("a,b\n\n")]           // header only
    [InlineData("1,2\n3,4\n")]        // no header: numbers
    [InlineData("a,a\n1,2\n")]        // duplicate names
    [InlineData("1.5,2.5,setosa\n4.9,3.0,setosa\n")] // no header: numbers and a label found again in its column
    public void Errors_are_the_csv_readers(string text)
    {
        var sep = Assert.Throws<BackpropException>(() => ReadWithSep(text));
        var plain = Assert.Throws<BackpropException>(() => Table.TryReadPlain(text, "data.csv", new CsvReadOptions()));
        Assert.Equal(sep.Message, plain.Message);
    }

    [Theory]
    [InlineData("a,b\n\"1\",2\n")]    // quoting
    [InlineData("a;b\n1;2\n")]        // another delimiter
    [InlineData("a,b\r\n1,2\r\n")]    // CRLF
    [InlineData("a,b\n 1 ,2\n")]      // spaces to trim
    [InlineData("a,b\n1,2\t\n")]      // a tab
    [InlineData("größe,b\n1,2\n")]    // non-ASCII
    [InlineData("code,n\n1.50,1\nA1,2\n")] // numbers then text: read again as text
    [InlineData("single\n1\n2\n")]    // one column: the delimiter is detected
    [InlineData("")]                   // empty
    [InlineData("\na,b\n1,2\n")]      // a blank line before the header
    public void Anything_less_plain_is_left_to_the_csv_reader(string text) =>
        Assert.Null(Table.TryReadPlain(text, "data.csv", new CsvReadOptions()));

    [Fact]
    public void Another_delimiter_asked_for_is_left_to_the_csv_reader() =>
        Assert.Null(Table.TryReadPlain("a,b\n1,2\n", "data.csv", new CsvReadOptions(Delimiter: ';')));

    private static Table ReadWithSep(string text, CsvReadOptions? options = null) =>
        Table.Read(() => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "data.csv", options);

    private static void AssertSame(Table expected, Table actual)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.Delimiter, actual.Delimiter);
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(Enumerable.Range(0, expected.RowCount).Select(expected.LineOf), Enumerable.Range(0, actual.RowCount).Select(actual.LineOf));
        for (int c = 0; c < expected.Columns.Count; c++)
        {
            TableColumn e = expected.Columns[c], a = actual.Columns[c];
            Assert.Equal(e.IsNumeric, a.IsNumeric);
            Assert.Equal(e.Count, a.Count);
            foreach (PropertyInfo diagnostic in typeof(TableColumn).GetProperties().Where(p => p.Name.StartsWith("First") || p.Name == "MissingCount"))
            {
                Assert.Equal(diagnostic.GetValue(e), diagnostic.GetValue(a));
            }
            for (int r = 0; r < e.Count; r++)
            {
                if (e.IsNumeric)
                {
                    // Bit for bit: the two readers parse numbers with different code.
                    Assert.Equal(BitConverter.DoubleToInt64Bits(e.GetNumber(r)), BitConverter.DoubleToInt64Bits(a.GetNumber(r)));
                }
                else
                {
                    Assert.Equal(e.GetCode(r), a.GetCode(r));
                }
            }
            if (!e.IsNumeric) Assert.Equal(e.Levels, a.Levels);
        }
    }
}
