using Backprop.Data;
using Backprop.Tensors;

namespace Backprop.Tests.Data;

public sealed class PredictionCsvTests : TempFileTest
{
    [Fact]
    public void Labels_and_probabilities_read_back_as_written()
    {
        string[] classes = ["cat, big", "say \"dog\"", "row"];
        var probabilities = new Matrix<float>([0.1f, 0.7f, 0.2f, 0.3333333f, 0.3333333f, 0.3333334f], 2, 3);
        string path = Path.Combine(Files.Directory, "preds.csv");
        PredictionCsv.WriteFileAtomically(path, w => PredictionCsv.WriteClasses(w, classes, [1, 2], probabilities));

        Table table = Table.Read(path);
        Assert.Equal(["row", "label", "cat, big", "say \"dog\"", "proba_row"], table.ColumnNames);
        Assert.Equal([1.0, 2], Enumerable.Range(0, 2).Select(table.Find("row")!.GetNumber));
        Assert.Equal(["say \"dog\"", "row"], Enumerable.Range(0, 2).Select(table.Find("label")!.GetText));
        Assert.Equal(0.7f, (float)table.Find("say \"dog\"")!.GetNumber(0));
        Assert.Equal(0.3333334f, (float)table.Find("proba_row")!.GetNumber(1)); // round-trip digits
        Assert.Equal([path], Directory.GetFiles(Files.Directory)); // no temporary file left
    }

    [Fact]
    public void Without_probabilities_only_row_and_label()
    {
        var text = new StringWriter();
        PredictionCsv.WriteClasses<float>(text, ["a", "b"], [1, 0, 1]);
        Assert.Equal("row,label\n1,b\n2,a\n3,b\n", text.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Regression_values()
    {
        var text = new StringWriter();
        PredictionCsv.WriteValues(text, [0.1, -2.5]);
        Assert.Equal("row,prediction\n1,0.1\n2,-2.5\n", text.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary()
    {
        string path = Files.Write("preds.csv", "old");
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            PredictionCsv.WriteFileAtomically(path, w => PredictionCsv.WriteClasses<float>(w, ["a"], [0, 3])));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Files.Directory));
    }

    [Fact]
    public void An_unwritable_path_is_a_clear_error()
    {
        string path = Path.Combine(Files.Directory, "no-such-dir", "preds.csv");
        var e = Assert.Throws<BackpropException>(() => PredictionCsv.WriteFileAtomically(path, w => w.Write("x")));
        Assert.StartsWith($"Cannot save '{path}': the folder ", e.Message);
    }

    [Fact]
    public void Probability_shape_is_checked() =>
        Assert.Throws<ArgumentException>(() => PredictionCsv.WriteClasses(new StringWriter(), ["a", "b"], [0], new Matrix<float>(1, 3)));
}
