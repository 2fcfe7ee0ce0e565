using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

/// <summary>Data that reads fine but cannot be used as asked: one clear line with the file, line and column.</summary>
public sealed class TabularErrorTests : TempFileTest
{
    private Table ReadTable(string text, string name = "data.csv", CsvReadOptions? options = null) => Table.Read(Files.Write(name, text), options);

    private string Path(string name) => System.IO.Path.Combine(Files.Directory, name);

    private static string Error(Action action)
    {
        var e = Assert.Throws<BackpropException>(action);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private TabularPreprocessor Trained() => TabularPreprocessor.Fit(ReadTable("age,color,label\n30,red,yes\n40,blue,no\n"));

    [Fact]
    public void Target_column_not_found_lists_the_columns() =>
        Assert.Equal($"Expected a target column 'species' among the columns of {Path("data.csv")}. Received columns: a, b, c.",
            Error(() => TabularPreprocessor.Fit(ReadTable("a,b,c\n1,2,3\n"), new TabularOptions(Target: "species"))));

    [Fact]
    public void A_name_in_another_case_is_suggested() =>
        Assert.EndsWith("Received columns: x, Species (names are case-sensitive: 'Species'?).",
            Error(() => TabularPreprocessor.Fit(ReadTable("x,Species\n1,a\n2,b\n"), new TabularOptions(Target: "species"))));

    [Fact]
    public void Unknown_feature_and_drop_names_are_errors()
    {
        Table table = ReadTable("a,b,c\n1,2,x\n3,4,y\n");
        Assert.StartsWith("Expected a feature column 'z' among the columns", Error(() => TabularPreprocessor.Fit(table, new TabularOptions(Features: ["a", "z"]))));
        Assert.StartsWith("Expected a column to drop 'q' among the columns", Error(() => TabularPreprocessor.Fit(table, new TabularOptions(Drop: ["q"]))));
        Assert.Equal("Expected the features to name columns other than the target 'c'. Received: 'c' among them.",
            Error(() => TabularPreprocessor.Fit(table, new TabularOptions(Features: ["a", "c"]))));
        Assert.Equal("Expected the columns to drop to name columns other than the target 'c'. Received: 'c' among them.",
            Error(() => TabularPreprocessor.Fit(table, new TabularOptions(Drop: ["c"]))));
        Assert.Equal("Expected the columns to keep to name columns other than the target 'c'. Received: 'c' among them.",
            Error(() => TabularPreprocessor.Fit(table, new TabularOptions(Keep: ["c"]))));
        Assert.Equal("Expected a column either to drop or to keep. Received: 'a' in both.",
            Error(() => TabularPreprocessor.Fit(table, new TabularOptions(Drop: ["a"], Keep: ["a"]))));
    }

    [Fact]
    public void Target_with_one_class() =>
        Assert.Equal($"Expected at least 2 classes in the target column 'y'. Received: only 'yes' in all 3 rows ({Path("data.csv")}).",
            Error(() => TabularPreprocessor.Fit(ReadTable("x,y\n1,yes\n2,yes\n3,yes\n"))));

    [Fact]
    public void Regression_target_that_never_varies()
    {
        Assert.Equal($"Expected a target column whose values vary. Received: 'y' is 3.5 in all 3 rows ({Path("data.csv")}).",
            Error(() => TabularPreprocessor.Fit(ReadTable("x,y\n1,3.5\n2,3.5\n3,3.50\n"))));
        Assert.Contains("whose values vary", Error(() => TabularPreprocessor.Fit(ReadTable("x,y\n1,2\n2,2\n"), new TabularOptions(Task: TaskKind.Regression))));
        // One row is a toy, not a mistake; two values are a target.
        TabularPreprocessor.Fit(ReadTable("x,y\n1,3.5\n"));
        TabularPreprocessor.Fit(ReadTable("x,y\n1,3.5\n2,3.25\n"));
    }

    [Fact]
    public void Numeric_target_with_one_class() =>
        Assert.Contains("Received: only '1' in all 2 rows", Error(() => TabularPreprocessor.Fit(ReadTable("x,y\n1,1\n2,1.0\n"))));

    [Fact]
    public void Infinity_in_numeric_data_at_training() =>
        Assert.Equal($"Expected finite numbers in column 'a'. Received: '-Infinity' at {Path("data.csv")} line 3.",
            Error(() => TabularPreprocessor.Fit(ReadTable("a,y\n1,x\n-Infinity,y\n1e999,x\n"))));

    [Fact]
    public void Infinity_in_a_regression_target() =>
        Assert.Contains("Expected finite numbers in column 'y'. Received: '1e400'",
            Error(() => TabularPreprocessor.Fit(ReadTable("a,y\n1,0.5\n2,1e400\n"), new TabularOptions(Task: TaskKind.Regression))));

    [Fact]
    public void Text_target_for_regression() =>
        Assert.Equal($"Expected a number in column 'y' (a regression target). Received: 'big' at {Path("data.csv")} line 2.",
            Error(() => TabularPreprocessor.Fit(ReadTable("a,y\n1,big\n2,small\n"), new TabularOptions(Task: TaskKind.Regression))));

    [Fact]
    public void No_feature_left_says_what_became_of_each_column() =>
        Assert.Equal($"Expected at least one usable feature column besides the target 'y'. Received: none ({Path("data.csv")} columns: a, y): " +
            "dropped column 'a': every value is missing.",
            Error(() => TabularPreprocessor.Fit(ReadTable("a,y\n,1\n,2\n"))));

    [Fact]
    public void Every_target_missing() =>
        Assert.StartsWith("Expected rows with a value in the target column 'y'. Received: every one missing",
            Error(() => TabularPreprocessor.Fit(ReadTable("a,y\n1,NA\n2,\n"))));

    [Fact]
    public void A_column_missing_at_transform_is_named()
    {
        TabularPreprocessor preprocessor = Trained();
        Assert.Equal($"Expected the column 'age' (a feature in training) among the columns of {Path("new.csv")}. Received columns: color.",
            Error(() => preprocessor.TransformFeatures<float>(ReadTable("color\nred\n", "new.csv"))));
        Assert.Equal($"Expected the target column 'label' among the columns of {Path("new.csv")}. Received columns: age, color.",
            Error(() => preprocessor.Transform<float>(ReadTable("age,color\n3,red\n", "new.csv"))));
    }

    [Fact]
    public void Text_in_a_numeric_column_at_transform_gives_line_column_and_value()
    {
        TabularPreprocessor preprocessor = Trained();
        Table fresh = ReadTable("age,color\n31,red\n\"thirty, two\",blue\n", "new.csv", preprocessor.ReadOptions());
        Assert.Equal($"Expected a number in column 'age' (numeric in the training data). Received: 'thirty, two' at {Path("new.csv")} line 3.",
            Error(() => preprocessor.TransformFeatures<float>(fresh)));
    }

    [Fact]
    public void Infinity_at_transform() =>
        Assert.Contains("Expected finite numbers in column 'age'. Received: 'inf' at",
            Error(() => Trained().TransformFeatures<double>(ReadTable("age,color\ninf,red\n", "new.csv"))));

    [Fact]
    public void An_unseen_class_at_evaluation() =>
        Assert.Equal($"Expected a class seen in training (no, yes). Received: 'maybe' in the target column 'label' at {Path("new.csv")} line 3.",
            Error(() => Trained().Transform<float>(ReadTable("age,color,label\n1,red,yes\n2,red,maybe\n", "new.csv"))));

    [Fact]
    public void Not_a_boolean_in_a_boolean_column()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable("flag,y\ntrue,a\nfalse,b\n"));
        Table fresh = ReadTable("flag\ntrue\nyes\n", "new.csv", preprocessor.ReadOptions());
        Assert.Equal($"Expected true or false in column 'flag' (boolean in the training data). Received: 'yes' at {Path("new.csv")} line 3.",
            Error(() => preprocessor.TransformFeatures<float>(fresh)));
    }

    // n rows of a feature and a last column whose every value is distinct: a date, the default target.
    private Table EachTargetValueOnce(int rows, Func<int, string> target) =>
        ReadTable("x,Date\n" + string.Concat(Enumerable.Range(0, rows).Select(r => $"{r % 4},{target(r)}\n")));

    [Fact]
    public void A_class_target_with_as_many_classes_as_rows_is_an_error_that_suggests_another_target()
    {
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(EachTargetValueOnce(153, r => $"1973-{5 + r / 31:D2}-{1 + r % 31:D2}")));
        Assert.Equal($"Expected a target column with several rows per class. Received: 'Date', as many classes as rows (153, each value once) in {Path("data.csv")}; " +
            "choose the column to predict (Target NAME).", e.Message);
        Assert.Equal($"Expected a target column with several rows per class. Received: 'Date', as many classes as rows (153, each value once) in {Path("data.csv")}; " +
            "choose the column to predict (--target NAME).", e.Format(name => "--" + name.ToLowerInvariant()));
    }

    [Fact]
    public void Numbers_taken_as_classes_one_a_row_suggest_a_regression_too()
    {
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(EachTargetValueOnce(12, r => $"{r * 3}"), new TabularOptions(Task: TaskKind.Classification)));
        Assert.EndsWith("(12, each value once) in " + Path("data.csv") + "; choose the column to predict (Target NAME), or predict its values as numbers (Task regression).", e.Message);
        // Read as text, numbers still are.
        e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(
            Table.Read(Files.Write("codes.csv", "x,code\n" + string.Concat(Enumerable.Range(0, 12).Select(r => $"{r % 4},{r * 3}\n"))), new CsvReadOptions(TextColumns: ["code"]))));
        Assert.EndsWith("or predict its values as numbers (Task regression).", e.Message);
    }

    [Fact]
    public void A_few_rows_of_a_class_each_are_no_such_error()
    {
        // Below 10 rows distinct values prove little (and a row per class of a small file is refused where it matters: a split).
        Assert.Equal(["a", "b", "c"], TabularPreprocessor.Fit(ReadTable("x,y\n1,a\n2,b\n3,c\n")).ClassNames);
        // A class of two rows among classes of one: not every value is once.
        Assert.Equal(10, TabularPreprocessor.Fit(EachTargetValueOnce(11, r => $"d{Math.Min(r, 9)}")).ClassNames!.Count);
    }
}
