using System.Globalization;
using System.Numerics;
using Backprop.Data;

namespace Backprop.Tests.Data;

public class EmbeddedDatasetsTests
{
    [Theory]
    [InlineData("iris", 150, 4, new[] { "setosa", "versicolor", "virginica" })]
    [InlineData("wine", 178, 13, new[] { "class_0", "class_1", "class_2" })]
    public void Loaded_through_the_csv_reader_with_exactly_the_values_of_a_direct_parse(string name, int rows, int features, string[] classes)
    {
        Check<float>(name, rows, features, classes);
        Check<double>(name, rows, features, classes);
    }

    private static void Check<T>(string name, int rows, int features, string[] classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Dataset<T> data = EmbeddedDatasets.Load<T>(name);
        Assert.Equal(rows, data.Count);
        Assert.Equal(features, data.FeatureCount);
        Assert.Equal(classes, data.ClassNames);

        // Parsing the text straight to T must give the same bits as the loader's double then T (no double rounding).
        using Stream stream = typeof(EmbeddedDatasets).Assembly.GetManifestResourceStream($"Backprop.Data.{name}.csv")!;
        string[] lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(data.FeatureNames, lines[0].Split(',')[..features]);
        for (int r = 0; r < rows; r++)
        {
            string[] cells = lines[r + 1].Split(',');
            for (int c = 0; c < features; c++)
            {
                Assert.Equal(T.Parse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture), data.Features[r, c]);
            }
            Assert.Equal(cells[^1], classes[data.Label(r)]);
        }
    }

    [Fact]
    public void Unknown_name() => Assert.Throws<ArgumentException>(() => EmbeddedDatasets.Load<float>("mnist"));
}
