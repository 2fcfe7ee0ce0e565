using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// Numbers written with thousands separators: points between groups beside decimal commas (<c>4.105,74</c>, as German
/// spreadsheets write them), commas between groups beside decimal points (<c>"271,377"</c>). Read only when the groups are
/// well formed and the column's numbers agree on one convention; each column read so says it in a note.
/// </summary>
public sealed class ThousandsSeparatorTests : TempFileTest
{
    private Table Read(string text, CsvReadOptions? options = null) => Table.Read(Files.Write("data.csv", text), options);

    private static double[] Numbers(Table table, string column) =>
        [.. Enumerable.Range(0, table.RowCount).Select(table.Find(column)!.GetNumber)];

    [Fact]
    public void Points_between_thousands_beside_decimal_commas_are_numbers()
    {
        // The user test: 'Umsatz' was text, all distinct, and dropped as an identifier.
        const string text = "Umsatz;Menge;Klasse\n4.105,74;5;ja\n812,33;2;nein\n1.234.567;3;ja\n-12.345,6;1;nein\n";
        foreach (CsvReadOptions? options in new[] { null, new CsvReadOptions(Decimal: ',') })
        {
            Table table = Read(text, options);
            Assert.Equal(',', table.Decimal);
            Assert.True(table.Find("Umsatz")!.IsNumeric);
            Assert.Equal([4105.74, 812.33, 1234567, -12345.6], Numbers(table, "Umsatz"));
            Assert.Equal(["column 'Umsatz': numbers with '.' thousands separators and ',' decimals (such as '4.105,74')"], table.Notes);
        }
    }

    [Fact]
    public void Commas_between_thousands_beside_decimal_points_are_numbers()
    {
        // The user test: "271,377" was text, with a note that advised --decimal , (which reads 271.377).
        Table table = Read("pop,area,y\n\"271,377\",1.5,a\n\"1,234,567.89\",2,b\n999,3,a\n");
        Assert.Equal('.', table.Decimal);
        Assert.Equal([271377, 1234567.89, 999], Numbers(table, "pop"));
        Assert.Equal(["column 'pop': numbers with ',' thousands separators and '.' decimals (such as '271,377')"], table.Notes);
        Assert.Equal([271377, 1234567.89, 999], Numbers(Read("pop;y\n271,377;a\n1,234,567.89;b\n999;a\n", new CsvReadOptions(Decimal: '.')), "pop"));
    }

    [Fact]
    public void Spaces_between_thousands_are_numbers_with_either_decimal_separator()
    {
        // The user test: a French spreadsheet's export, "1 234,50" with a no-break space (U+00A0; newer versions write the
        // narrow U+202F), was text, and dropped as an identifier.
        Table table = Read("Prix;Surface;y\n1\u00A0234,50;12,5;a\n987;8;b\n12\u202F345\u202F678,9;100;a\n-2 500;3;b\n");
        Assert.Equal(',', table.Decimal);
        Assert.Equal([1234.5, 987, 12345678.9, -2500], Numbers(table, "Prix"));
        Assert.Equal(["column 'Prix': numbers with no-break spaces between thousands and ',' decimals (such as '1\u00A0234,50')"], table.Notes);
        Table points = Read("pop,y\n\"1 234 567.5\",a\n\"12 000\",b\n");
        Assert.Equal([1234567.5, 12000], Numbers(points, "pop"));
        Assert.Equal(["column 'pop': numbers with spaces between thousands and '.' decimals (such as '1 234 567.5')"], points.Notes);
        // The decimals still say the file's convention: a space-grouped decimal comma beside a decimal point is refused.
        Assert.Throws<BackpropException>(() => Read("a;b;y\n1 234,5;0.5;x\n2;1;y\n"));
    }

    [Theory]
    [InlineData("x,y\n\"1 23\",a\n2,b\n")]       // a group of 2 digits, between spaces
    [InlineData("x,y\n\"12 3456\",a\n2,b\n")]
    [InlineData("x,y\n\"1  234\",a\n2,b\n")]     // two spaces
    [InlineData("x,y\n\"1,23\",a\n2,b\n")]       // a group of 2 digits
    [InlineData("x,y\n\"1,2345\",a\n2,b\n")]     // a group of 4
    [InlineData("x,y\n\"0,538\",a\n2,b\n")]      // a leading 0: a decimal comma, not a group
    [InlineData("x,y\n\"1234,567\",a\n2,b\n")]   // 4 digits before the first group
    [InlineData("x,y\n\"1,234.5.6\",a\n2,b\n")]
    [InlineData("x;y\n1.234,5,6;a\n2;b\n")]
    [InlineData("x;y\n1.23,5;a\n2;b\n")]
    public void Groups_that_are_not_well_formed_are_text(string text)
    {
        Table table = Read(text);
        Assert.False(table.Find("x")!.IsNumeric);
        Assert.Empty(table.Notes);
    }

    [Fact]
    public void One_comma_in_a_semicolon_file_is_a_decimal_comma()
    {
        // 1,234 could be 1234, but beside 0,538 (and in a ';' file, the decimal comma's home) it is 1.234, as before.
        Table table = Read("a;b;y\n1,234;0,538;x\n2;1;y\n");
        Assert.Equal([1.234, 2], Numbers(table, "a"));
        Assert.Empty(table.Notes);
    }

    [Fact]
    public void A_file_that_groups_by_both_conventions_or_beside_points_is_refused()
    {
        // 1.234.567 says decimal commas, 0.538 a decimal point: one of them is a thousand times off, so neither is guessed.
        string path = Files.Write("data.csv", "a;b;y\n1.234.567;0.538;x\n2;1;y\n");
        var error = Assert.Throws<BackpropException>(() => Table.Read(path));
        Assert.Equal($"Expected numbers written with one decimal separator in {path}. Received: '1.234.567' (points between thousands, as beside " +
            "decimal commas) in column 'a' at line 2 and '0.538' (a point) in column 'b' at line 2; write them one way, or choose with --decimal " +
            "(numbers written the other way are then text).", error.Message);
        Assert.Throws<BackpropException>(() => Table.Read(Files.Write("data.csv", "a;y\n1.234.567;x\n1,234,567.5;y\n")));
        // 1.234 beside 0,538 stays refused: a point alone is as likely a decimal point as a thousands separator there.
        Assert.Throws<BackpropException>(() => Table.Read(Files.Write("data.csv", "tax;nox;y\n1.234;0;a\n2;0,538;b\n")));
    }

    [Fact]
    public void Chunks_read_the_numbers_as_the_whole_file_does()
    {
        string rows = string.Concat(Enumerable.Range(0, 150).Select(i => $"{i * 1000 + 0.25:#,##0.00};{i % 2}\n".Replace(",", "X").Replace(".", ",").Replace("X", ".")));
        string path = Files.Write("data.csv", "Umsatz;y\n" + rows);
        Table whole = Table.Read(path);
        Table[] chunks = [.. Table.ReadChunks(path, rowsPerChunk: 64)];
        Assert.Equal(Numbers(whole, "Umsatz"), chunks.SelectMany(chunk => Numbers(chunk, "Umsatz")));
        Assert.Equal(149000.25, Numbers(whole, "Umsatz")[^1]);
        Assert.All(chunks, chunk => Assert.Equal(',', chunk.Decimal));
    }
}
