using System.Text;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Data;

/// <summary>
/// Numbers written with a decimal comma: detected in ';'-delimited files, or asked for; one comma alone is a decimal comma, not a
/// thousands separator (those: <see cref="ThousandsSeparatorTests"/>).
/// </summary>
public sealed class DecimalCommaTests : CsvFileTest
{
    [Fact]
    public void An_excel_file_with_decimal_commas_reads_and_fits_exactly_like_its_dot_decimal_twin()
    {
        string dots = ExcelTwins.Dots();
        Table plain = Table.Read(Files.Write("dots.csv", dots));
        Table excel = Table.Read(Files.WriteBytes("excel.csv", ExcelTwins.Excel(dots)));

        Assert.Equal((',', '.'), (plain.Delimiter, plain.Decimal));
        Assert.Equal((';', ','), (excel.Delimiter, excel.Decimal));
        Assert.Equal(plain.ColumnNames, excel.ColumnNames); // no byte-order mark in the first name
        Assert.Equal(plain.RowCount, excel.RowCount);
        Assert.Equal(Enumerable.Range(0, plain.RowCount).Select(plain.LineOf), Enumerable.Range(0, excel.RowCount).Select(excel.LineOf));
        foreach (TableColumn column in plain.Columns)
        {
            TableColumn twin = excel.Find(column.Name)!;
            Assert.True(column.IsNumeric, column.Name);
            Assert.True(twin.IsNumeric, column.Name);
            Assert.Equal(column.MissingCount, twin.MissingCount);
            for (int r = 0; r < plain.RowCount; r++)
            {
                // To the bit: the two spellings go through different parsers (Sep's, and .NET's for a comma).
                Assert.Equal(BitConverter.DoubleToInt64Bits(column.GetNumber(r)), BitConverter.DoubleToInt64Bits(twin.GetNumber(r)));
            }
        }
        Assert.Contains(",538", Encoding.UTF8.GetString(ExcelTwins.Excel(dots))); // the twin does hold decimal commas
        Assert.Contains("E-", dots);                                             // and exponents

        var options = new TabularOptions(Target: "medv");
        TabularPreprocessor fromDots = TabularPreprocessor.Fit(plain, options), fromExcel = TabularPreprocessor.Fit(excel, options);
        Assert.Equal(TaskKind.Regression, fromExcel.Task);
        Assert.Equal(fromDots.State.ToJson(), fromExcel.State.ToJson());
        Assert.Equal(fromDots.Notes, fromExcel.Notes);
        Assert.Equal(fromDots.Transform<double>(plain).Features.Data, fromExcel.Transform<double>(excel).Features.Data);
        // A file to predict on is read with the fitted preprocessor's options, and detected again.
        Table again = Table.Read(Files.WriteBytes("new.csv", ExcelTwins.Excel(dots)), fromExcel.ReadOptions());
        Assert.Equal(fromDots.TransformFeatures<float>(plain).Data, fromExcel.TransformFeatures<float>(again).Data);
    }

    [Theory]
    [InlineData("0,538", 0.538)]
    [InlineData("-12,5", -12.5)]
    [InlineData("+3", 3.0)]
    [InlineData("1,5E-3", 0.0015)]
    [InlineData("1,234", 1.234)]           // one comma: a decimal comma, not a thousands separator
    [InlineData(",5", 0.5)]
    [InlineData("1e5", 100_000.0)]
    public void Decimal_commas_in_a_semicolon_file_are_numbers(string text, double expected)
    {
        Table table = Read($"a;b\n{text};x\n3;y\n");
        Assert.True(table.Find("a")!.IsNumeric);
        Assert.Equal(expected, table.Find("a")!.GetNumber(0));
        Assert.Equal(text.Contains(',') ? ',' : '.', table.Decimal);
    }

    [Theory]
    [InlineData("1 23,5")] // a group of two digits ("1 234,5" is a number: ThousandsSeparatorTests)
    [InlineData("0,5-x")] // ("0,5x" is 0.5 with a unit word: NumberUnitsTests)
    [InlineData("0x1,5")]
    public void Other_spellings_with_a_comma_are_text(string text)
    {
        TableColumn a = Read($"a;b\n{text};x\n3;y\n").Find("a")!;
        Assert.False(a.IsNumeric);
        Assert.Equal([text, "3"], a.Levels);
    }

    [Fact]
    public void A_comma_file_whose_numbers_have_no_separator_or_a_point_reads_as_before()
    {
        Table table = Read("a;b\n1.5;2\n-3;4\n");
        Assert.Equal('.', table.Decimal);
        Assert.Equal([1.5, -3], Numbers(table, "a"));
    }

    [Fact]
    public void Points_beside_decimal_commas_are_an_error_naming_one_cell_of_each()
    {
                // Across columns: "1.234" could be a thousands separator in a file of decimal commas.
        Assert.Equal($"Expected numbers written with one decimal separator in {DataPath}. Received: '0,538' (a decimal comma) in column 'nox' at line 3 " +
            "and '1.234' (a point) in column 'tax' at line 2; write them one way, or choose with --decimal (numbers written the other way are then text).",
            ReadError("tax;nox;y\n1.234;0;a\n2;0,538;b\n"));
        // Within a column.
        Assert.Contains("'2,5' (a decimal comma) in column 'x' at line 3 and '1.5' (a point) in column 'x' at line 2;", ReadError("x;y\n1.5;a\n2,5;b\n"));
        // A column that is text anyway (a version, a date) does not count.
        Table table = Read("version;x;y\n1.2;0,5;a\n2.0.1;1,5;b\n");
        Assert.False(table.Find("version")!.IsNumeric);
        Assert.Equal([0.5, 1.5], Numbers(table, "x"));
    }

    [Fact]
    public void Asked_for_a_point_decimal_commas_are_text_and_asked_for_a_comma_points_are_text()
    {
        Table points = Read("x;y\n1,5;1.5\n2;2\n", new CsvReadOptions(Decimal: '.'));
        Assert.Equal(('.', false, true), (points.Decimal, points.Find("x")!.IsNumeric, points.Find("y")!.IsNumeric));
        Table commas = Read("x;y\n1,5;1.5\n2;2\n", new CsvReadOptions(Decimal: ','));
        Assert.Equal((',', true, false), (commas.Decimal, commas.Find("x")!.IsNumeric, commas.Find("y")!.IsNumeric));
        Assert.Equal(["1.5", "2"], commas.Find("y")!.Levels);
        // Asked for, decimal commas are read whatever the delimiter: tab, whitespace, or a quoted field of a comma file.
        Assert.Equal([1.5, 2], Numbers(Read("x\ty\n1,5\ta\n2\tb\n", new CsvReadOptions(Decimal: ',')), "x"));
        Assert.Equal([1.5, 2], Numbers(Read("x y\n1,5 a\n2 b\n", new CsvReadOptions(Decimal: ',')), "x"));
        Assert.Equal([1.5, 2], Numbers(Read("x,y\n\"1,5\",a\n2,b\n", new CsvReadOptions(Decimal: ',')), "x"));
        // Not asked for, only a ';' file is read with decimal commas.
        Assert.False(Read("x\ty\n1,5\ta\n2\tb\n").Find("x")!.IsNumeric);
    }

    [Theory]
    [InlineData('x')]
    [InlineData(';')]
    [InlineData(' ')]
    public void A_decimal_separator_other_than_point_or_comma_is_an_argument_error(char separator)
    {
        var e = Assert.Throws<ArgumentException>(() => Read("a;b\n1;2\n", new CsvReadOptions(Decimal: separator)));
        Assert.StartsWith($"Expected the decimal separator '.' or ','. Received: '{separator}'.", e.Message);
    }

    [Fact]
    public void A_column_of_decimal_commas_that_turns_to_text_keeps_their_spelling()
    {
        TableColumn code = Read("code;n\n0,50;1\n1,5;2\nA1;3\n0,50;4\n").Find("code")!;
        Assert.False(code.IsNumeric);
        Assert.Equal(["0,50", "1,5", "A1"], code.Levels);
        Assert.Equal(2, code.FirstNonNumericRow);
    }

    [Fact]
    public void A_column_read_as_text_and_used_as_numbers_reads_its_decimal_commas()
    {
        // The target kept as text (say a categorical column named as the target), then fitted as a regression.
        Table table = Read("x;y\n1;0,5\n2;1,25\n3;2,5\n", new CsvReadOptions(TextColumns: ["y"]));
        Assert.False(table.Find("y")!.IsNumeric);
        Assert.Equal(-1, table.Find("y")!.FirstNonNumericRow);
        var preprocessor = TabularPreprocessor.Fit(table, new TabularOptions(Task: TaskKind.Regression));
        Assert.Equal([0.5, 1.25, 2.5], preprocessor.Transform<double>(table).Targets.Data);
    }

    [Fact]
    public void A_header_of_decimal_commas_is_data()
    {
        string message = ReadError("0,5;1,5;a\n2,5;3,5;a\n");
        Assert.StartsWith("Expected a header line of column names on line 1 of ", message);
        Assert.Contains("(2 of 3 cells are numbers)", message);
    }
}
