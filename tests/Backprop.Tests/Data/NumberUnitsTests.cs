using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Data;

/// <summary>
/// Numbers written as spreadsheets format them, with a percent sign or a currency symbol (<c>33.9%</c>, <c>"$1,234.50"</c>,
/// <c>12,50 €</c>, <c>($5.00)</c>), are numbers: before, such a column was text with a value per row and was dropped as an
/// identifier. A column is numbers in one unit; two units in one column are refused where the column is used.
/// </summary>
public sealed class NumberUnitsTests : TempFileTest
{
    private Table Read(string text, CsvReadOptions? options = null, string name = "data.csv") => Table.Read(Files.Write(name, text), options);

    private static double[] Numbers(Table table, string column) =>
        [.. Enumerable.Range(0, table.RowCount).Select(table.Find(column)!.GetNumber)];

    [Theory]
    [InlineData("33.9%", 33.9, '%', '\0')]
    [InlineData("-2 %", -2, '%', '\0')]
    [InlineData("5\u00A0%", 5, '%', '\0')]
    [InlineData("$407.42", 407.42, '$', '\0')]
    [InlineData("$1,234.50", 1234.5, '$', ',')]
    [InlineData("-$5", -5, '$', '\0')]
    [InlineData("$-5", -5, '$', '\0')]
    [InlineData("+$5", 5, '$', '\0')]
    [InlineData("\u2212$5", -5, '$', '\0')]
    [InlineData("$ 5", 5, '$', '\0')]
    [InlineData("($1,234.00)", -1234, '$', ',')]
    [InlineData("(12.5 €)", -12.5, '€', '\0')]
    [InlineData("£.5", 0.5, '£', '\0')]
    [InlineData("¥1e3", 1000, '¥', '\0')]
    [InlineData("₹12,34,567", 0, '\0', '\0')] // Indian grouping (lakhs) is not a well-formed group of three: not a number
    public void A_number_with_a_unit_is_read_as_the_number_written(string text, double expected, char unit, char group)
    {
        bool parsed = NumberUnits.TryParse(text, DecimalSeparators.Point, out double value, out char readGroup, out ReadOnlySpan<char> readUnit);
        Assert.Equal(unit != '\0', parsed);
        if (!parsed) return;
        Assert.Equal(expected, value);
        Assert.Equal(unit.ToString(), readUnit.ToString());
        Assert.Equal(group, readGroup);
    }

    [Theory]
    [InlineData("12,50 €", 12.5, false)]
    [InlineData("-1.234,5 €", -1234.5, false)]
    [InlineData("€1.234,5", 1234.5, true)]
    public void The_number_inside_takes_the_files_decimal_separator(string text, double expected, bool eitherSeparator)
    {
        Assert.True(NumberUnits.TryParse(text, eitherSeparator ? DecimalSeparators.Either : DecimalSeparators.Comma, out double value, out _, out _));
        Assert.Equal(expected, value);
        // With a decimal point only, "12,50" is no number: neither is the amount.
        Assert.False(NumberUnits.TryParse("12,50 €", DecimalSeparators.Point, out _, out _, out _));
    }

    private static readonly string[] Spaces = ["", " ", "\u00A0"];

    [Fact]
    public void Amounts_written_every_way_a_spreadsheet_writes_them_read_back_as_their_numbers()
    {
        // Random amounts, grouped or not, with a decimal point or comma, the symbol before or after (a space, a no-break space
        // or none between), negative as -$5, $-5, -5 € or ($5): each reads back as the number it was written from.
        var rng = new Backprop.Tensors.Rng(17);
        for (int i = 0; i < 5000; i++)
        {
            double value = Math.Round(rng.NextDouble() * Math.Pow(10, rng.NextInt(8)), rng.NextInt(3));
            bool comma = rng.NextInt(2) == 0, grouped = rng.NextInt(2) == 0, negative = rng.NextInt(3) == 0;
            string number = value.ToString(grouped ? "#,##0.##" : "0.##", CultureInfo.InvariantCulture);
            if (comma) number = number.Replace(',', '_').Replace('.', ',').Replace('_', '.');
            char unit = "$€£¥%"[rng.NextInt(5)];
            string space = Spaces[rng.NextInt(Spaces.Length)];
            bool before = unit != '%' && rng.NextInt(2) == 0;
            string text = before ? unit + space + number : number + space + unit;
            if (negative)
            {
                int style = unit == '%' ? 0 : rng.NextInt(3);
                text = style switch
                {
                    0 => "-" + text,                                        // -$5, -5 €, -5%
                    1 => before ? unit + space + "-" + number : "-" + text, // $-5
                    _ => "(" + text + ")",                                  // ($5), (5 €)
                };
            }
            bool parsed = NumberUnits.TryParse(text, comma ? DecimalSeparators.Comma : DecimalSeparators.Point, out double read, out _, out ReadOnlySpan<char> readUnit);
            Assert.True(parsed, text);
            Assert.Equal(negative && value != 0 ? -value : value, read == 0 ? 0 : read);
            Assert.Equal(unit.ToString(), readUnit.ToString());
        }
    }

    [Theory]
    [InlineData("$")]
    [InlineData("%")]
    [InlineData("5")]          // no unit: a plain number is not this reader's
    [InlineData("$$5")]
    [InlineData("$5%")]
    [InlineData("%5")]
    [InlineData("5$%")]
    [InlineData("-$-5")]
    [InlineData("(-$5)")]
    [InlineData("(5%)")]       // parentheses make amounts negative, not percentages
    [InlineData("(5)")]
    [InlineData("$Infinity")]
    [InlineData("$NaN")]
    [InlineData("$e5")]
    [InlineData("$ -")]
    [InlineData("5 off%")]
    [InlineData("$5 off")]
    [InlineData("US$5")]
    [InlineData("#5")]
    [InlineData("$1,23")]      // a malformed group
    public void Text_that_is_not_one_number_and_one_unit_is_not_a_number(string text) =>
        Assert.False(NumberUnits.TryParse(text, DecimalSeparators.Point, out _, out _, out _));

    [Fact]
    public void Columns_of_amounts_and_percentages_are_numbers_with_a_note_each()
    {
        Table table = Read("price,discount,units,sold\n\"$407.42\",33.9%,\"517\",yes\n\"$2,367.23\",-2%,\"3,869\",no\n($5.00),,12,yes\n");
        Assert.True(table.Find("price")!.IsNumeric);
        Assert.Equal([407.42, 2367.23, -5], Numbers(table, "price"));
        Assert.Equal([33.9, -2, double.NaN], Numbers(table, "discount"));
        Assert.Equal([517, 3869, 12], Numbers(table, "units"));
        Assert.Equal(
        [
            "column 'price': amounts in '$' (such as '$407.42'), read as the numbers without the symbol, with ',' thousands separators and '.' decimals (such as '$2,367.23')",
            "column 'discount': percentages (such as '33.9%'), read as the numbers before the '%'",
            "column 'units': numbers with ',' thousands separators and '.' decimals (such as '3,869')",
        ], table.Notes);
    }

    [Fact]
    public void Amounts_in_an_excel_file_with_decimal_commas_are_numbers()
    {
        Table table = Read("Preis;Anteil;y\n12,50 €;5 %;a\n1.234,00 €;12,5 %;b\n-3 €;0 %;a\n");
        Assert.Equal(',', table.Decimal);
        Assert.Equal([12.5, 1234, -3], Numbers(table, "Preis"));
        Assert.Equal([5, 12.5, 0], Numbers(table, "Anteil"));
    }

    [Fact]
    public void A_column_of_numbers_in_two_units_is_text_and_refused_where_it_is_used()
    {
        // 40 dollar amounts, then 20 in euros: neither numbers (dollars plus euros) nor categories (a value per row) mean the column.
        var text = new StringBuilder("price,y\n");
        for (int r = 0; r < 60; r++) text.Append(r < 40 ? '$' : '€').Append(10 + r).Append(',').Append(r % 2 == 0 ? "a" : "b").Append('\n');
        Table table = Read(text.ToString());
        Assert.False(table.Find("price")!.IsNumeric);
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table));
        string path = Path.Combine(Files.Directory, "data.csv");
        Assert.Equal($"Expected numbers in one unit in column 'price'. Received: '$10' (amounts in '$') at {path} line 2 and '€50' (amounts in '€') at " +
            $"{path} line 42; convert the column to one unit, or read it as categories (Categorical price).", e.Message);
        // Asked for, categories it is.
        Assert.Equal(FeatureKind.Categorical, TabularPreprocessor.Fit(table, new TabularOptions(Categorical: ["price"])).State.Features[0].Kind);
    }

    [Fact]
    public void A_cell_in_another_unit_among_many_is_named_whichever_comes_first()
    {
        // The first cell is the odd one: the unit most cells are written in is the column's, and the message names both.
        var text = new StringBuilder("price,y\n");
        for (int r = 0; r < 60; r++) text.Append(r == 0 ? "€" : "$").Append(10 + r).Append(',').Append(r % 2 == 0 ? "a" : "b").Append('\n');
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(Read(text.ToString())));
        Assert.StartsWith("Expected numbers in one unit in column 'price'. Received: '€10' (amounts in '€') at ", e.Message);
        Assert.Contains("line 2 and '$11' (amounts in '$') at ", e.Message);
    }

    [Fact]
    public void A_typo_among_amounts_is_an_error_at_its_cell_as_among_numbers()
    {
        var text = new StringBuilder("price,y\n");
        for (int r = 0; r < 150; r++) text.Append(r == 99 ? "$12.x" : $"${10 + r % 60 / 10.0:0.0}").Append(',').Append(r % 2 == 0 ? "a" : "b").Append('\n');
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(Read(text.ToString())));
        Assert.StartsWith("Expected a number in column 'price', as its other 149 values are. Received: '$12.x' at ", e.Message);
    }

    [Fact]
    public void The_unit_is_kept_with_the_model_and_a_file_in_another_is_refused()
    {
        var text = new StringBuilder("price,rate,y\n");
        for (int r = 0; r < 40; r++) text.Append(CultureInfo.InvariantCulture, $"${100 + r * 7},{r % 9}%,{(r % 3 == 0 ? "a" : "b")}\n");
        var preprocessor = TabularPreprocessor.Fit(Read(text.ToString()));
        Assert.Equal(["$", "%"], preprocessor.State.Features.Select(f => f.Unit));
        TabularPreprocessorState saved = TabularPreprocessorState.FromJson(preprocessor.State.ToJson());
        Assert.Equal(["$", "%"], saved.Features.Select(f => f.Unit));

        // The same numbers, with the unit or without it, are the same inputs.
        double[] withUnits = preprocessor.Transform<double>(Read("price,rate,y\n$107,1%,a\n$114,2%,b\n", name: "new.csv")).Features.Data;
        Assert.Equal(withUnits, preprocessor.Transform<double>(Read("price,rate,y\n107,1,a\n114,2,b\n", name: "plain.csv")).Features.Data);

        string path = Path.Combine(Files.Directory, "euros.csv");
        var e = Assert.Throws<BackpropException>(() => preprocessor.Transform<double>(Read("price,rate,y\n€107,1%,a\n€114,2%,b\n", name: "euros.csv")));
        Assert.Equal($"Expected amounts in '$' in column 'price' (as in the training data). Received: '€107' at {path} line 2; " +
            "convert the column's numbers to amounts in '$'.", e.Message);
        e = Assert.Throws<BackpropException>(() => preprocessor.Transform<double>(Read("price,rate,y\n$107,1%,a\n€114,2%,b\n", name: "euros.csv")));
        Assert.Equal($"Expected amounts in '$' in column 'price' (numeric in the training data). Received: '€114' at {path} line 3; " +
            "convert the column's numbers to amounts in '$'.", e.Message);
    }

    [Fact]
    public void Chunks_in_two_units_are_refused_at_the_chunk_that_changes()
    {
        var text = new StringBuilder("price,y\n");
        for (int r = 0; r < 200; r++) text.Append(r < 100 ? '$' : '€').Append(10 + r).Append(",a\n");
        string path = Files.Write("chunks.csv", text.ToString());
        var e = Assert.Throws<BackpropException>(() => Table.ReadChunks(path, rowsPerChunk: 100).ToArray());
        Assert.Equal($"Expected numbers in one unit in column 'price'. Received: '$10' (amounts in '$') at {path} line 2 and '€110' (amounts in '€') at " +
            $"{path} line 102; convert the column to one unit.", e.Message);
    }

    [Fact]
    public void Shards_in_two_units_read_the_column_as_text()
    {
        Directory.CreateDirectory(Path.Combine(Files.Directory, "shards"));
        Directory.CreateDirectory(Path.Combine(Files.Directory, "same"));
        Files.Write("shards/a.csv", "price,y\n$1,a\n$2,b\n");
        Files.Write("shards/b.csv", "price,y\n€3,a\n€4,b\n");
        Table table = Table.Read(Path.Combine(Files.Directory, "shards"));
        Assert.False(table.Find("price")!.IsNumeric);
        Assert.Equal(["$1", "$2", "€3", "€4"], Enumerable.Range(0, 4).Select(table.Find("price")!.GetText));

        Files.Write("same/a.csv", "price,y\n$1,a\n$2,b\n");
        Files.Write("same/b.csv", "price,y\n3,a\n\"$4,000\",b\n");
        Table same = Table.Read(Path.Combine(Files.Directory, "same"));
        Assert.Equal([1, 2, 3, 4000], Numbers(same, "price"));
        Assert.Equal("$", same.Find("price")!.Unit);
    }

    [Fact]
    public void A_streamed_sample_keeps_the_unit_of_its_chunks()
    {
        var text = new StringBuilder("price,y\n");
        for (int r = 0; r < 300; r++) text.Append(CultureInfo.InvariantCulture, $"{(r % 2 == 0 ? "$" : "")}{r},{(r % 3 == 0 ? "a" : "b")}\n");
        string path = Files.Write("stream.csv", text.ToString());
        var sample = new TableSample(path, 1 << 20);
        long row = 0;
        foreach (Table chunk in Table.ReadChunks(path, rowsPerChunk: 64))
        {
            for (int r = 0; r < chunk.RowCount; r++, row++) sample.Offer(chunk, r, TableSample.Key(7, row), new HashSet<string>());
        }
        Table table = sample.ToTable();
        Assert.Equal("$", table.Find("price")!.Unit);
        Assert.Equal("$", TabularPreprocessor.Fit(table).State.Features[0].Unit);
    }

    [Theory]
    [InlineData("1248 CC", 1248, "CC", '\0')]
    [InlineData("23.4 kmpl", 23.4, "kmpl", '\0')]
    [InlineData("5kg", 5, "kg", '\0')]
    [InlineData("-3.5 °C", -3.5, "°C", '\0')]
    [InlineData("+7 h", 7, "h", '\0')]
    [InlineData("90 km/h", 90, "km/h", '\0')]
    [InlineData("1,200 sq.ft", 1200, "sq.ft", ',')]
    [InlineData("12 m²", 12, "m²", '\0')]
    [InlineData("120 m2", 120, "m2", '\0')]
    [InlineData("1.5e3 kg", 1500, "kg", '\0')]  // an exponent is the number's, the word after it the unit
    [InlineData("36\u00A0months", 36, "months", '\0')]
    [InlineData("4 GB", 4, "GB", '\0')]
    [InlineData("10th", 10, "th", '\0')]
    [InlineData("12abc", 12, "abc", '\0')]
    [InlineData("0.5x", 0.5, "x", '\0')]
    public void A_number_with_a_unit_word_is_the_number_written(string text, double expected, string unit, char group)
    {
        Assert.True(NumberUnits.TryParse(text, DecimalSeparators.Point, out double value, out char readGroup, out ReadOnlySpan<char> readUnit), text);
        Assert.Equal(expected, value);
        Assert.Equal(unit, readUnit.ToString());
        Assert.Equal(group, readGroup);
        Assert.True(NumberUnits.IsWord(unit) && NumberUnits.IsValid(unit));
    }

    [Theory]
    [InlineData("12 Main St")]      // two words: an address, not a unit
    [InlineData("kg")]
    [InlineData("kg 5")]            // a unit before the number is a label
    [InlineData("5  kg")]           // two spaces
    [InlineData("2e5")]             // a plain number (an exponent), not 2 in a unit 'e5'
    [InlineData("0x1A")]            // hexadecimal, binary and octal literals
    [InlineData("0b101")]
    [InlineData("0o17")]
    [InlineData("v2")]
    [InlineData("5+ years")]
    [InlineData("3:30 PM")]
    [InlineData("2024-03-01")]
    [InlineData("(5 kg)")]
    [InlineData("$5 kg")]
    [InlineData("5 kg%")]
    [InlineData("5 abcdefghijklmnopq")] // 17 letters: a phrase
    [InlineData("five kg")]
    [InlineData("5 k-g")]
    public void Text_that_is_not_a_number_and_a_unit_word_is_not_a_number(string text) =>
        Assert.False(NumberUnits.TryParse(text, DecimalSeparators.Point, out _, out _, out _), text);

    [Theory]
    [InlineData("kg", "KG", true)]
    [InlineData("year", "years", true)]
    [InlineData("lbs", "lb", true)]
    [InlineData("bhp", "BHP", true)]
    [InlineData("ms", "m", false)]  // a plural s needs a word of three letters
    [InlineData("kg", "lb", false)]
    [InlineData("$", "€", false)]
    [InlineData("kmpl", "km/kg", false)]
    public void Two_spellings_are_one_unit_but_for_case_and_a_plural_s(string a, string b, bool same)
    {
        Assert.Equal(same, NumberUnits.Same(a, b));
        Assert.Equal(same, NumberUnits.Same(b, a));
    }

    [Fact]
    public void Columns_with_a_unit_word_are_numbers_with_a_note_each()
    {
        // A cell without the unit is the same quantity; "1 seat" and "5 seats" are one unit.
        Table table = Read("engine,mileage,seats,fuel\n1248 CC,23.4 kmpl,5 seats,Diesel\n1498 cc,,1 seat,Petrol\n\"1,197 CC\",18.9kmpl,7,Petrol\n");
        Assert.Equal([1248, 1498, 1197], Numbers(table, "engine"));
        Assert.Equal([23.4, double.NaN, 18.9], Numbers(table, "mileage"));
        Assert.Equal([5, 1, 7], Numbers(table, "seats"));
        Assert.False(table.Find("fuel")!.IsNumeric);
        Assert.Equal(
        [
            "column 'engine': numbers in 'CC' (such as '1248 CC'), read as the numbers without the unit, with ',' thousands separators and '.' decimals (such as '1,197 CC')",
            "column 'mileage': numbers in 'kmpl' (such as '23.4 kmpl'), read as the numbers without the unit",
            "column 'seats': numbers in 'seats' (such as '5 seats'), read as the numbers without the unit",
        ], table.Notes);
    }

    [Fact]
    public void Numbers_with_two_unit_words_are_categories_not_an_error()
    {
        // "2019 Q1" and "2019 Q2" are quarters, "3 AM" and "5 PM" times of day: codes as often as quantities, so text, as before.
        var text = new StringBuilder("quarter,y\n");
        for (int r = 0; r < 80; r++) text.Append(CultureInfo.InvariantCulture, $"{2019 + r / 40} Q{1 + r % 4},{(r % 3 == 0 ? "a" : "b")}\n");
        Table table = Read(text.ToString());
        Assert.False(table.Find("quarter")!.IsNumeric);
        FeatureColumnState quarter = TabularPreprocessor.Fit(table).State.Features.Single();
        Assert.Equal(FeatureKind.Categorical, quarter.Kind);
        Assert.Equal(8, quarter.Categories!.Length);
    }

    [Fact]
    public void A_unit_word_is_kept_with_the_model_and_a_file_in_another_is_refused()
    {
        var text = new StringBuilder("weight,y\n");
        for (int r = 0; r < 40; r++) text.Append(CultureInfo.InvariantCulture, $"{50 + r * 1.5} kg,{(r % 3 == 0 ? "a" : "b")}\n");
        var preprocessor = TabularPreprocessor.Fit(Read(text.ToString()));
        Assert.Equal("kg", preprocessor.State.Features[0].Unit);
        Assert.Equal("numbers in 'kg'", preprocessor.State.Features[0].UnitDescription);
        // A unit word is new in version 5: a Backprop that reads version 4 refuses the state as newer rather than misread it.
        Assert.Equal(5, preprocessor.State.Version);
        TabularPreprocessorState saved = TabularPreprocessorState.FromJson(preprocessor.State.ToJson());
        Assert.Equal("kg", saved.Features[0].Unit);
        var old = Assert.Throws<BackpropException>((saved with { Version = 4 }).Validate);
        Assert.Contains("version 5 or later for a unit word", old.Message, StringComparison.Ordinal);
        var invalid = Assert.Throws<BackpropException>((saved with { Features = [saved.Features[0] with { Unit = "two words" }] }).Validate);
        Assert.Contains("a unit ('%', a currency symbol or a unit word) only for a numeric column", invalid.Message, StringComparison.Ordinal);

        // The same numbers, with the unit in any case or plural, or without it, are the same inputs.
        double[] withUnit = preprocessor.Transform<double>(Read("weight,y\n61 kg,a\n72.5 KG,b\n", name: "new.csv")).Features.Data;
        Assert.Equal(withUnit, preprocessor.Transform<double>(Read("weight,y\n61,a\n72.5,b\n", name: "plain.csv")).Features.Data);
        Assert.Equal(withUnit, preprocessor.Transform<double>(Read("weight,y\n61kgs,a\n72.5 kg,b\n", name: "plural.csv")).Features.Data);

        string path = Path.Combine(Files.Directory, "pounds.csv");
        var e = Assert.Throws<BackpropException>(() => preprocessor.Transform<double>(Read("weight,y\n134 lb,a\n160 lb,b\n", name: "pounds.csv")));
        Assert.Equal($"Expected numbers in 'kg' in column 'weight' (as in the training data). Received: '134 lb' at {path} line 2; " +
            "convert the column's numbers to 'kg'.", e.Message);
    }

    [Fact]
    public void A_cell_in_another_unit_word_among_many_is_a_typo_at_its_cell()
    {
        var text = new StringBuilder("weight,y\n");
        for (int r = 0; r < 150; r++) text.Append(CultureInfo.InvariantCulture, $"{(r == 99 ? "130 lb" : $"{50 + r % 60 / 2.0} kg")},{(r % 2 == 0 ? "a" : "b")}\n");
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(Read(text.ToString())));
        Assert.StartsWith("Expected a number in column 'weight', as its other 149 values are. Received: '130 lb' at ", e.Message);
    }

    [Fact]
    public void A_missing_value_with_the_unit_after_it_is_missing_in_a_column_of_numbers()
    {
        // As a used-car site exports a missing engine power: "null bhp", in one row of five.
        var text = new StringBuilder("power,fuel\n");
        for (int r = 0; r < 100; r++) text.Append(CultureInfo.InvariantCulture, $"{(r % 5 == 3 ? (r % 2 == 0 ? "null bhp" : "NA bhp") : $"{40 + r} bhp")},{(r % 4 == 0 ? "null Diesel" : "Petrol")}\n");
        Table table = Read(text.ToString());
        TableColumn power = table.Find("power")!;
        Assert.True(power.IsNumeric);
        Assert.Equal(20, power.MissingCount);
        Assert.Equal(41, power.GetNumber(1));
        Assert.True(double.IsNaN(power.GetNumber(3)));
        // In a column of text it is text: "null Diesel" is a value as any other.
        Assert.Equal(["Petrol", "null Diesel"], table.Find("fuel")!.Levels.Order(StringComparer.Ordinal));
        Assert.False(NumberUnits.IsMissingWithUnit("null"));
        Assert.False(NumberUnits.IsMissingWithUnit("null two words"));
        Assert.False(NumberUnits.IsMissingWithUnit("5 bhp"));
        Assert.True(NumberUnits.IsMissingWithUnit(" N/A kg "));
    }

    [Fact]
    public void The_targets_unit_is_kept_and_a_file_to_evaluate_in_another_is_refused()
    {
        var text = new StringBuilder("size,price\n");
        for (int r = 0; r < 60; r++) text.Append(CultureInfo.InvariantCulture, $"{50 + r},\"${1000 + r * 37:#,##0.00}\"\n");
        var preprocessor = TabularPreprocessor.Fit(Read(text.ToString()));
        Assert.Equal((TaskKind.Regression, "$"), (preprocessor.State.Target.Task, preprocessor.State.Target.Unit));
        Assert.Equal("amounts in '$'", preprocessor.State.Target.UnitDescription);
        Assert.Equal("$", TabularPreprocessorState.FromJson(preprocessor.State.ToJson()).Target.Unit);

        // The same targets with the unit or without it; in another, an error at the first such cell.
        double[] targets = preprocessor.Transform<double>(Read("size,price\n51,$1037\n52,$1074\n", name: "new.csv")).Targets.Data;
        Assert.Equal(targets, preprocessor.Transform<double>(Read("size,price\n51,1037\n52,1074\n", name: "plain.csv")).Targets.Data);
        string path = Path.Combine(Files.Directory, "euros.csv");
        var e = Assert.Throws<BackpropException>(() => preprocessor.Transform<double>(Read("size,price\n51,€1037\n52,€1074\n", name: "euros.csv")));
        Assert.Equal($"Expected amounts in '$' in column 'price' (as in the training data). Received: '€1037' at {path} line 2; " +
            "convert the column's numbers to amounts in '$'.", e.Message);

        // Class labels with a unit word keep it too.
        var stars = new StringBuilder("length,rating\n");
        for (int r = 0; r < 60; r++) stars.Append(CultureInfo.InvariantCulture, $"{r},{1 + r % 5} {(r % 5 == 0 ? "star" : "stars")}\n");
        TargetColumnState rating = TabularPreprocessor.Fit(Read(stars.ToString(), name: "stars.csv")).State.Target;
        Assert.Equal((TaskKind.Classification, "star"), (rating.Task, rating.Unit));
        Assert.Equal(["1", "2", "3", "4", "5"], rating.Classes!);
    }

    [Theory]
    [InlineData("$1.2M", 1_200_000)]
    [InlineData("$500K", 500_000)]
    [InlineData("$177 B", 177_000_000_000)]
    [InlineData("$3.5bn", 3_500_000_000)]
    [InlineData("£12mn", 12_000_000)]
    [InlineData("$2T", 2_000_000_000_000)]
    [InlineData("-$0.75m", -750_000)]
    [InlineData("($2M)", -2_000_000)]
    [InlineData("1,5 Mio €", 0)]       // words of other languages are not read: text
    [InlineData("$5 MB", 0)]           // a unit word, not a magnitude
    [InlineData("$5KB", 0)]
    [InlineData("$5 km", 0)]
    [InlineData("5M%", 0)]             // a percentage has no magnitude
    [InlineData("$M", 0)]
    public void An_amount_with_a_magnitude_is_the_amount_it_stands_for(string text, double expected)
    {
        bool parsed = NumberUnits.TryParse(text, DecimalSeparators.Point, out double value, out _, out ReadOnlySpan<char> unit);
        Assert.Equal(expected != 0, parsed);
        if (!parsed) return;
        Assert.Equal(expected, value); // exactly: "1.2M" is 1200000, as "1,200,000" is
        Assert.Equal(1, unit.Length);
        Assert.True(NumberUnits.IsScaled(text));
    }

    [Fact]
    public void A_column_of_amounts_with_magnitudes_is_numbers_in_one_unit_with_a_note()
    {
        Table table = Read("company,valuation,funding,height\nA,$1.2B,$500K,5m\nB,$800M,\"$1,500,000\",12m\nC,$45M,$2.5M,7m\n");
        Assert.Equal([5, 12, 7], Numbers(table, "height")); // metres: a unit word, not a magnitude
        Assert.Equal([1.2e9, 8e8, 4.5e7], Numbers(table, "valuation"));
        Assert.Equal([5e5, 1.5e6, 2.5e6], Numbers(table, "funding"));
        Assert.Equal(
        [
            "column 'valuation': amounts in '$' (such as '$1.2B'), read as the numbers without the symbol, with K, M, B and T read as thousands, millions, billions and trillions",
            "column 'funding': amounts in '$' (such as '$500K'), read as the numbers without the symbol, with ',' thousands separators and '.' decimals (such as '$1,500,000'), " +
                "and K, M, B and T read as thousands, millions, billions and trillions",
            "column 'height': numbers in 'm' (such as '5m'), read as the numbers without the unit",
        ], table.Notes);
    }
}

