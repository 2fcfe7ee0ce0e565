using System.Text.Json.Nodes;
using Backprop.Models;
using Backprop.Serialization;
using Backprop.Tests.Data;

namespace Backprop.Tests.Cli;

/// <summary>
/// Files from the issue tracker, end to end: an Excel export with decimal commas trains exactly like its dot-decimal twin and
/// predicts like it; a text file in aligned columns (statsmodels' spector data) trains; an unterminated quote is named.
/// </summary>
public sealed class CsvFormatsCliTests : TempFileTest
{
    // Enough epochs and rows for a change in any one value to move the weights.
    private static readonly string[] Options = ["--target", "medv", "--epochs", "4", "--batch-size", "16", "--validation", "0.2", "--seed", "5"];

    private string Dots => Files.Write("dots.csv", ExcelTwins.Dots());

    private string Excel => Files.WriteBytes("excel.csv", ExcelTwins.Excel(ExcelTwins.Dots()));

    private string PathOf(string name) => Path.Combine(Files.Directory, name);

    private static string[] Notes(string error) => error.Split('\n').Where(l => l.StartsWith("note: ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void An_excel_file_with_decimal_commas_trains_exactly_like_its_dot_decimal_twin()
    {
        var (dotsCode, dotsOutput, dotsError) = CliRunner.Run(["train", "--data", Dots, "--save", PathOf("dots.safetensors"), .. Options]);
        Assert.True(dotsCode == 0, dotsError);
        var (excelCode, excelOutput, excelError) = CliRunner.Run(["train", "--data", Excel, "--save", PathOf("excel.safetensors"), .. Options]);
        Assert.True(excelCode == 0, excelError);

        Assert.Equal(TabularModel<float>.Load(PathOf("dots.safetensors")).Network.Parameters,
            TabularModel<float>.Load(PathOf("excel.safetensors")).Network.Parameters);
        Assert.Equal(dotsOutput.Replace("dots.safetensors", "m"), excelOutput.Replace("excel.safetensors", "m")); // epochs, metrics
        // The issue: "2762 inputs … 229 classes". Now 7 numeric columns (each with its bins) and a regression, and the note says
        // how the file was read.
        Assert.Matches(@"\(delimiter ';', decimal ','\): \d+ inputs from 7 numeric columns; target 'medv', regression$", Notes(excelError)[0]);
        Assert.Matches(@"\(delimiter ','\): \d+ inputs from 7 numeric columns; target 'medv', regression$", Notes(dotsError)[0]);
        Assert.Equal(Notes(dotsError).Skip(1), Notes(excelError).Skip(1));
    }

    [Fact]
    public void A_model_trained_on_either_twin_predicts_and_evaluates_the_other_alike()
    {
        string model = PathOf("m.safetensors");
        Assert.Equal(0, CliRunner.Run(["train", "--data", Excel, "--save", model, .. Options]).ExitCode);

        var (code, fromDots, error) = CliRunner.Run("predict", "--model", model, "--data", Dots);
        Assert.True(code == 0, error);
        var (excelCode, fromExcel, excelError) = CliRunner.Run("predict", "--model", model, "--data", Excel);
        Assert.True(excelCode == 0, excelError);
        Assert.Equal(fromDots, fromExcel);
        Assert.Equal(fromDots, CliRunner.Run("predict", "--model", model, "--data", Excel, "--decimal", ",", "--delimiter", ";").Output);
        Assert.Equal(CliRunner.Run("evaluate", "--model", model, "--data", Dots, "--json").Output,
            CliRunner.Run("evaluate", "--model", model, "--data", Excel, "--json").Output);
        // Told the numbers use points, the Excel file's are text, which a numeric input does not take.
        var (pointCode, _, pointError) = CliRunner.Run("predict", "--model", model, "--data", Excel, "--decimal", ".");
        Assert.Equal(1, pointCode);
        Assert.StartsWith("error: Expected a number in column 'crim' (numeric in the training data). Received: '", pointError);
    }

    [Fact]
    public void The_decimal_separator_is_saved_and_a_model_saved_before_it_existed_still_resumes()
    {
        string excelWithTabs = Files.Write("tabs.csv", ExcelTwins.Dots().Replace(',', '\t').Replace('.', ','));
        string model = PathOf("tabs.safetensors");
        var (code, _, error) = CliRunner.Run(["train", "--data", excelWithTabs, "--decimal", ",", "--save", model, .. Options]);
        Assert.True(code == 0, error);
        Assert.Equal(",", JsonNode.Parse(SafeTensors.Load(model).Metadata["training"])!["decimal"]!.GetValue<string>());

        // A model of the Excel file (decimal commas detected) as an older Backprop wrote it: no "decimal" key. It resumes as
        // the file with the key does, detecting the decimal commas of its data again.
        string trained = PathOf("excel.safetensors");
        Assert.Equal(0, CliRunner.Run(["train", "--data", Excel, "--save", trained, .. Options]).ExitCode);
        SafeTensorsDocument document = SafeTensors.Load(trained);
        var metadata = document.Metadata.ToDictionary();
        JsonObject training = JsonNode.Parse(metadata["training"])!.AsObject();
        Assert.True(training.Remove("decimal"));
        metadata["training"] = training.ToJsonString();
        string old = PathOf("old.safetensors");
        SafeTensors.Save(old, document.Tensors, metadata);

        var (newCode, newOutput, newError) = CliRunner.Run("train", "--resume", trained, "--epochs", "6", "--save", PathOf("new-resumed.safetensors"));
        Assert.True(newCode == 0, newError);
        var (oldCode, oldOutput, oldError) = CliRunner.Run("train", "--resume", old, "--epochs", "6", "--save", PathOf("old-resumed.safetensors"));
        Assert.True(oldCode == 0, oldError);
        Assert.Equal(newOutput.Replace("new-resumed", "m"), oldOutput.Replace("old-resumed", "m"));
        Assert.Equal(TabularModel<float>.Load(PathOf("new-resumed.safetensors")).Network.Parameters,
            TabularModel<float>.Load(PathOf("old-resumed.safetensors")).Network.Parameters);
    }

    [Fact]
    public void A_text_file_in_aligned_columns_trains()
    {
        string spector = Files.Write("spector.dat", DelimiterTests.Spector);
        var (code, output, error) = CliRunner.Run("train", "--recipe", "plain", "--data", spector, "--target", "GRADE", "--drop", "OBS", "--epochs", "30", "--lr", "0.05");
        Assert.True(code == 0, error);
        Assert.EndsWith("(delimiter whitespace): 3 inputs from 3 numeric columns; target 'GRADE', 2 classes", Notes(error)[0]);
        Assert.StartsWith("Training Accuracy: ", output.TrimEnd('\n').Split('\n')[^1]);
        // Given, it reads the same (the word in any case, as other options' words); so does a file with single spaces given as such.
        Assert.Equal(output, CliRunner.Run("train", "--recipe", "plain", "--data", spector, "--delimiter", "whitespace", "--target", "GRADE", "--drop", "OBS", "--epochs", "30",
            "--lr", "0.05").Output);
        Assert.Equal(output, CliRunner.Run("train", "--recipe", "plain", "--data", spector, "--delimiter", "WhiteSpace", "--target", "GRADE", "--drop", "OBS", "--epochs", "30",
            "--lr", "0.05").Output);
        string single = Files.Write("single.txt", string.Join("\n", DelimiterTests.Spector.Split('\n')
            .Select(line => string.Join(" ", line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))));
        Assert.Equal(output, CliRunner.Run("train", "--recipe", "plain", "--data", single, "--delimiter", "space", "--target", "GRADE", "--drop", "OBS", "--epochs", "30",
            "--lr", "0.05").Output);
    }

    [Theory]
    [InlineData("a:b:c\n1:2:3\n4:5:6\n", "--target", "b",
        "error: Expected a target column and feature columns in {0}. Received: one column only, 'a:b:c' (is the delimiter something else? use --delimiter).")]
    [InlineData("a,b,y\n1,2,x\n3,4,y\n1,2,\"unterminated\n5,6,x\n7,8,y\n", "--epochs", "1",
        "error: Expected a closing quote for the quoted field that starts at {0} line 4. Received: the end of the file (an unterminated quote).")]
    [InlineData("tax;nox;y\n1.234;0;a\n2;0,538;b\n", "--epochs", "1",
        "error: Expected numbers written with one decimal separator in {0}. Received: '0,538' (a decimal comma) in column 'nox' at line 3 and '1.234' " +
        "(a point) in column 'tax' at line 2; write them one way, or choose with --decimal (numbers written the other way are then text).")]
    public void A_file_that_cannot_be_read_as_meant_is_one_line_saying_why(string text, string option, string value, string expected)
    {
        string path = Files.Write("bad.csv", text);
        var (code, output, error) = CliRunner.Run("train", "--recipe", "plain", "--data", path, option, value);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path) + "\n", error);
    }

    [Fact]
    public void A_delimiter_ending_every_line_and_R_row_names_train_predict_and_stream_with_a_note()
    {
        // The user test: "x,z,y," made an empty 'column4' the default target (exit 1); R's write.table was a ragged file.
        string trailing = Files.Write("tc.csv", "x,z,y,\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 7},{i % 5},{(i % 2 == 0 ? "a" : "b")},\n")));
        string rNames = Files.Write("mt.txt", "\"x\" \"z\" \"y\"\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"\"car {i}\" {i % 7} {i % 5} {(i % 2 == 0 ? "a" : "b")}\n")));
        foreach ((string path, string note) in new[]
        {
            (trailing, "note: left out column 4: no name in the header and no value in any row (every line ends with a delimiter)"),
            (rNames, "note: the header has one field fewer than the rows: the first field of each row read as a row name, not used"),
        })
        {
            foreach (string stream in new[] { "false", "true" })
            {
                var (code, _, error) = CliRunner.Run("train", "--data", path, "--epochs", "1", "--members", "1", "--stream", stream, "--save", PathOf("m.safetensors"));
                Assert.True(code == 0, error);
                Assert.Contains("target 'y', 2 classes", Notes(error)[0]);
                Assert.Contains(note, Notes(error));
            }
            var (predictCode, predictOutput, predictError) = CliRunner.Run("predict", "--model", PathOf("m.safetensors"), "--data", path);
            Assert.True(predictCode == 0, predictError);
            Assert.Equal(31, predictOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Contains(note, Notes(predictError));
            var (evaluateCode, _, evaluateError) = CliRunner.Run("evaluate", "--model", PathOf("m.safetensors"), "--data", path);
            Assert.True(evaluateCode == 0, evaluateError);
            Assert.Contains(note, Notes(evaluateError));
        }
    }

    [Fact]
    public void Numbers_with_thousands_separators_are_a_feature_in_train_and_predict()
    {
        // The user test: 'Umsatz' (4.105,74, 812,33) was text, all distinct, and dropped as an identifier: no feature but Menge.
        var random = new Random(3);
        string rows = string.Concat(Enumerable.Range(0, 80).Select(_ => random.NextDouble() * 4500 + 500).Select(u =>
            u.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture).Replace(',', '_').Replace('.', ',').Replace('_', '.')
            + $";{random.Next(1, 9)};{(u > 2500 ? "ja" : "nein")}\n"));
        string path = Files.Write("de2.csv", "Umsatz;Menge;Klasse\n" + rows);
        const string Note = "note: column 'Umsatz': numbers with '.' thousands separators and ',' decimals";
        foreach (string[] decimalOption in new[] { Array.Empty<string>(), ["--decimal", ","] })
        {
            var (code, _, error) = CliRunner.Run(["train", "--data", path, "--epochs", "1", "--members", "1", "--save", PathOf("de.safetensors"), .. decimalOption]);
            Assert.True(code == 0, error);
            Assert.Matches(@"\(delimiter ';', decimal ','\): \d+ inputs from 2 numeric columns; target 'Klasse', 2 classes$", Notes(error)[0]);
            Assert.Contains(Notes(error), note => note.StartsWith(Note, StringComparison.Ordinal));
            Assert.DoesNotContain(Notes(error), note => note.Contains("dropped column 'Umsatz'"));
        }
        var (predictCode, predictOutput, predictError) = CliRunner.Run("predict", "--model", PathOf("de.safetensors"), "--data", path);
        Assert.True(predictCode == 0, predictError);
        Assert.Equal(81, predictOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(Notes(predictError), note => note.StartsWith(Note, StringComparison.Ordinal));
    }

    [Fact]
    public void Amounts_and_percentages_are_features_and_a_file_in_another_currency_is_refused()
    {
        // The user test: a spreadsheet's export, "$2,367.23" and 33.9%: both columns were text, a value per row, dropped as
        // identifiers, and the model learned from 'units' alone.
        var random = new Random(5);
        var rows = new System.Text.StringBuilder("price,discount,units,sold\n");
        for (int r = 0; r < 120; r++)
        {
            double price = random.NextDouble() * 3000 + 5, discount = random.NextDouble() * 40;
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"\"${price:#,##0.00}\",{discount:0.0}%,{random.Next(1, 5000)},{(price * (1 - discount / 100) < 1200 ? "yes" : "no")}\n");
        }
        string path = Files.Write("shop.csv", rows.ToString()), model = PathOf("shop.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", path, "--epochs", "2", "--members", "1", "--save", model);
        Assert.True(code == 0, error);
        Assert.EndsWith("inputs from 3 numeric columns; target 'sold', 2 classes", Notes(error)[0]);
        Assert.Contains(Notes(error), note => note.StartsWith("note: column 'price': amounts in '$' (such as '$", StringComparison.Ordinal));
        Assert.Contains(Notes(error), note => note.StartsWith("note: column 'discount': percentages (such as '", StringComparison.Ordinal));

        var (infoCode, info, _) = CliRunner.Run("info", "--model", model, "--json");
        Assert.Equal(0, infoCode);
        JsonArray inputs = JsonNode.Parse(info)!["inputs"]!.AsArray();
        Assert.Equal(["$", "%", null], inputs.Select(i => (string?)i!["unit"]));

        var (predictCode, _, predictError) = CliRunner.Run("predict", "--model", model, "--data", path);
        Assert.True(predictCode == 0, predictError);
        string euros = Files.Write("euros.csv", rows.ToString().Replace("\"$", "\"€", StringComparison.Ordinal));
        (predictCode, string output, predictError) = CliRunner.Run("predict", "--model", model, "--data", euros);
        Assert.Equal(1, predictCode);
        Assert.Equal("", output);
        Assert.Matches(@"^error: Expected amounts in '\$' in column 'price' \(as in the training data\)\. Received: '€[0-9,.]+' at .*euros\.csv line 2; " +
            @"convert the column's numbers to amounts in '\$'\.$", predictError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
    }

    [Fact]
    public void Numbers_with_a_unit_word_are_features_shown_by_info_and_another_unit_is_refused()
    {
        // A used-car listing as such sites export it: "1248 CC", "74 bhp", "23.4 kmpl"; each column was text with a value
        // for almost every row, dropped as an identifier.
        var random = new Random(9);
        var rows = new System.Text.StringBuilder("engine,power,mileage,price\n");
        for (int r = 0; r < 150; r++)
        {
            int engine = random.Next(800, 3000);
            double power = engine * 0.05 + random.NextDouble() * 10, mileage = 30 - engine / 200.0 + random.NextDouble();
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"{engine} CC,{power:0.0} bhp,{mileage:0.00}kmpl,{engine * 200 + power * 3000:0}\n");
        }
        string path = Files.Write("cars.csv", rows.ToString()), model = PathOf("cars.safetensors");
        var (code, _, error) = CliRunner.Run("train", "--data", path, "--epochs", "2", "--members", "1", "--save", model);
        Assert.True(code == 0, error);
        Assert.EndsWith("inputs from 3 numeric columns; target 'price', regression", Notes(error)[0]);
        Assert.Contains("note: column 'mileage': numbers in 'kmpl' (such as '", Notes(error).Single(n => n.Contains("'mileage'", StringComparison.Ordinal)));

        var (_, info, _) = CliRunner.Run("info", "--model", model);
        Assert.Matches(@"\n  engine   numeric      numbers in 'CC', mean [0-9.]+, std ", info);
        var (_, json, _) = CliRunner.Run("info", "--model", model, "--json");
        Assert.Equal(["CC", "bhp", "kmpl"], JsonNode.Parse(json)!["inputs"]!.AsArray().Select(i => (string?)i!["unit"]));

        string litres = Files.Write("litres.csv", rows.ToString().Replace(" CC,", " L,", StringComparison.Ordinal));
        var (predictCode, output, predictError) = CliRunner.Run("predict", "--model", model, "--data", litres);
        Assert.Equal(1, predictCode);
        Assert.Equal("", output);
        Assert.Matches(@"^error: Expected numbers in 'CC' in column 'engine' \(as in the training data\)\. Received: '[0-9]+ L' at .*litres\.csv line 2; " +
            @"convert the column's numbers to 'CC'\.$", predictError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last());
    }

    [Theory]
    [InlineData("train", "--decimal", ";", "error: --decimal: expected the decimal separator . or , (the words point or comma). Received: ';'.")]
    [InlineData("predict", "--decimal", "x", "error: --decimal: expected the decimal separator . or , (the words point or comma). Received: 'x'.")]
    [InlineData("evaluate", "--delimiter", "€",
        "error: --delimiter: expected one punctuation character such as , ; | or one of the words tab, space, whitespace. Received: '€'.")]
    [InlineData("train", "--delimiter", "#",
        "error: --delimiter: expected one punctuation character such as , ; | or one of the words tab, space, whitespace. Received: '#'.")]
    public void A_wrong_delimiter_or_decimal_separator_is_a_usage_error(string command, string option, string value, string expected)
    {
        string[] data = command == "train" ? ["--data", Dots] : ["--model", "m.safetensors", "--data", Dots];
        var (code, _, error) = CliRunner.Run([command, .. data, option, value]);
        Assert.Equal(2, code);
        Assert.Equal(expected + "\n", error);
    }
}
