using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// Lines above the header (a report's title, a bank statement's account lines, a comment) are skipped with a note where the
/// file would not read otherwise; a file whose header is its first line reads as it did, errors included.
/// </summary>
public sealed class TitleLinesTests : CsvFileTest
{
    private const string Rows = "5.1,3.5,setosa\n4.9,3.0,setosa\n6.3,3.3,virginica\n";

    [Fact]
    public void A_title_above_the_header_is_skipped_with_a_note_and_counted_in_line_numbers()
    {
        // Before: "Expected 2 fields on every row, as in the header. Received: 4 at line 2."
        Table table = Read("Iris measurements, exported 2024-03-01\nsepal,petal,width,species\n" + Rows.Replace(",setosa", ",1,setosa").Replace(",virginica", ",2,virginica"));
        Assert.Equal(["sepal", "petal", "width", "species"], table.ColumnNames);
        Assert.Equal([3, 4, 5], Enumerable.Range(0, 3).Select(table.LineOf));
        Assert.Contains("skipped a line above the header ('Iris measurements, exported 2024-03-01'): its fields do not match the rows'", table.Notes);
        Assert.EndsWith(" line 10.", ReadError("Sales report\n\nsepal,petal,species\n" + Rows + Rows + "1,2\n"));
    }

    [Fact]
    public void Account_lines_above_a_statement_are_skipped_whatever_their_delimiter_holds()
    {
        Table table = Read("Kontoauszug;Girokonto 1234\nZeitraum;01.01.2024 - 31.01.2024\n\nDatum;Empfänger;Betrag\n02.01.2024;Miete;-850,00\n03.01.2024;Gehalt;2.400,00\n");
        Assert.Equal(';', table.Delimiter);
        Assert.Equal(["Datum", "Empfänger", "Betrag"], table.ColumnNames);
        Assert.Equal([5, 6], Enumerable.Range(0, 2).Select(table.LineOf));
        Assert.Contains(table.Notes, note => note.StartsWith("skipped 2 lines above the header ('Kontoauszug;Girokonto 1234', …)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_comment_above_the_header_is_skipped_and_a_given_delimiter_is_used()
    {
        // matplotlib's sample Stocks.csv starts so.
        Table table = Read("# Data source: https://finance.yahoo.com\nDate,IBM,AAPL\n1990-01-01,10.97,0.24\n1990-02-01,11.55,0.24\n");
        Assert.Equal(["Date", "IBM", "AAPL"], table.ColumnNames);
        Table given = Read("Export; 2024\na|b|c\n1|2|3\n4|5|6\n", new CsvReadOptions(Delimiter: '|'));
        Assert.Equal(["a", "b", "c"], given.ColumnNames);
    }

    [Theory]
    [InlineData("a,b,c,d\n1,2\n3,4,5,6\n", " line 2.")]                      // a header with a short row under it: not a title
    [InlineData("code,name,a,b\n#\n6377563.396,x,1,2\n6378137,y,3,4\n", " line 2.")] // a row of numbers is no header
    [InlineData("dtype,input,output\n## note ##\nf,1,2\nf,3,4\n", " line 2.")]       // a comment among the rows
    [InlineData("t;u;v;w\na,b,b\n1,2,3\n4,5,6\n", " line 2.")]              // a name twice is no header either
    public void A_file_whose_first_line_is_its_header_fails_where_it_failed(string text, string at) =>
        Assert.EndsWith(at, ReadError(text));

    [Fact]
    public void A_file_that_reads_is_read_as_before()
    {
        // R's row names (a header one field shorter than every row) and a one-column file are no title above a header; nor,
        // so that no file that reads changes, is a first line one field shorter than the header under it (left to the rule
        // of row names).
        Table rowNames = Read("x,y\n\"1\",5,6\n\"2\",7,8\n");
        Assert.Equal(["x", "y"], rowNames.ColumnNames);
        Assert.DoesNotContain(rowNames.Notes, note => note.StartsWith("skipped", StringComparison.Ordinal));
        Assert.Equal(["value"], Read("value\n1\n2\n").ColumnNames);
    }
}
