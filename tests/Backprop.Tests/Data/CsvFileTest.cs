using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>Base of tests that write CSV text to a file and read it.</summary>
public abstract class CsvFileTest : TempFileTest
{
    /// <summary>Where <see cref="Read"/> writes the text.</summary>
    protected string DataPath => Path.Combine(Files.Directory, "data.csv");

    protected Table Read(string text, CsvReadOptions? options = null) => Table.Read(Files.Write("data.csv", text), options);

    /// <summary>The message of the one-line error that reading <paramref name="text"/> gives.</summary>
    protected string ReadError(string text, CsvReadOptions? options = null)
    {
        var e = Assert.Throws<BackpropException>(() => Read(text, options));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    /// <summary>A numeric column's values, row by row.</summary>
    protected static double[] Numbers(Table table, string column) =>
        Enumerable.Range(0, table.RowCount).Select(table.Find(column)!.GetNumber).ToArray();
}
