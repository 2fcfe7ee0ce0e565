using Backprop.Cli.Rendering;
using Backprop.Tensors;

namespace Backprop.Tests.Cli.Rendering;

public sealed class ClassificationReportTests
{
    // Three classes, every sample predicted right but one (actual 1, predicted 2).
    private static ClassificationReport Report(params string[] labels)
    {
        int[] actual = [0, 0, 1, 1, 2, 2];
        int[] predicted = [0, 0, 1, 2, 2, 2];
        var probabilities = new Matrix<double>(actual.Length, 3);
        for (int i = 0; i < actual.Length; i++) probabilities[i, predicted[i]] = 1;
        return ClassificationReport.Create(labels, actual, probabilities);
    }

    private static string[] Text(ClassificationReport report)
    {
        var text = new StringWriter { NewLine = "\n" };
        report.WriteText(text, "Validation");
        return text.ToString().TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void The_title_counts_one_sample_in_the_singular()
    {
        var one = new Matrix<double>(1, 2);
        one[0, 1] = 1;
        Assert.Equal("Validation (1 sample)", Text(ClassificationReport.Create(["no", "yes"], [1], one))[0]);
        Assert.Equal("Validation (6 samples)", Text(Report("a", "b", "c"))[0]);
        var text = new StringWriter { NewLine = "\n" };
        new RegressionReport(1, 1, 0, 0, [2.0], [2.0]).WriteText(text, "Evaluation of x.csv");
        Assert.StartsWith("Evaluation of x.csv (1 sample)\n", text.ToString());
    }

    [Fact]
    public void Short_labels_head_the_columns_of_the_confusion_matrix()
    {
        string[] lines = Text(Report("setosa", "versicolor", "virginica"));
        Assert.Equal(
        [
            "  confusion matrix (rows: actual, columns: predicted)",
            "                  setosa  versicolor   virginica",
            "  setosa               2           0           0",
            "  versicolor           0           1           1",
            "  virginica            0           0           2",
        ], lines[^5..]);
    }

    [Fact]
    public void Long_labels_are_numbered_and_cut_so_that_every_line_fits_80_columns()
    {
        string[] lines = Text(Report("Adelie Penguin (Pygoscelis adeliae)", "Chinstrap penguin (Pygoscelis antarctica)", "Gentoo penguin (Pygoscelis papua)"));
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} columns: {line}"));
        Assert.Equal(
        [
            "  confusion matrix (rows: actual, columns: predicted)",
            "                                                (1)  (2)  (3)",
            "  (1) Adelie Penguin (Pygoscelis adeliae)         2    0    0",
            "  (2) Chinstrap penguin (Pygoscelis antarctic…    0    1    1",
            "  (3) Gentoo penguin (Pygoscelis papua)           0    0    2",
        ], lines[^5..]);
        Assert.Contains("  Chinstrap penguin (Pygoscelis antarctic…     1.0000  0.5000  0.6667        2", lines);
    }
}
