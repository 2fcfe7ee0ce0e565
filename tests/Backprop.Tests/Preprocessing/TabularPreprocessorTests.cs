using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

public sealed class TabularPreprocessorTests : TempFileTest
{
    private const string People =
        "id,age,color,member,score,label\n" +
        "u1,30,red,true,1.0,yes\n" +
        "u2,,blue,false,2.0,no\n" +
        "u3,50,red,,3.0,yes\n" +
        "u4,40,NA,true,4.0,no\n";

    private static readonly TabularOptions PeopleOptions = new(MinRowsForIdentifier: 3);

    private Table ReadTable(string text, CsvReadOptions? options = null, string name = "data.csv") =>
        Table.Read(Files.Write(name, text), options);

    private string Path(string name) => System.IO.Path.Combine(Files.Directory, name);

    [Fact]
    public void Infers_kinds_imputes_standardizes_and_one_hot_encodes()
    {
        Table table = ReadTable(People);
        var preprocessor = TabularPreprocessor.Fit(table, PeopleOptions);

        Assert.Equal(["age", "color=blue", "color=red", "member", "score"], preprocessor.FeatureNames);
        Assert.Equal([FeatureKind.Numeric, FeatureKind.Categorical, FeatureKind.Boolean, FeatureKind.Numeric], preprocessor.State.Features.Select(f => f.Kind));
        Assert.Equal(TaskKind.Classification, preprocessor.Task);
        Assert.Equal(["no", "yes"], preprocessor.ClassNames);
        Assert.Equal(
            [
                "dropped column 'id': identifier-like (all 4 values distinct); to use it as a feature: Keep",
                "imputed 1 missing value(s) in column 'age' with the mean 40",
                "imputed 1 missing value(s) in column 'color' with the most frequent value 'red'",
                "imputed 1 missing value(s) in column 'member' with the most frequent value true",
            ],
            preprocessor.Notes);

        var data = preprocessor.Transform<double>(table);
        // age: present 30, 50, 40 → fill 40; imputed column 30, 40, 50, 40 → mean 40, population std √50.
        // score: 1..4 → mean 2.5, std √1.25. color: [blue, red], missing → red. member: missing → true (2 of 3).
        double a = 10 / Math.Sqrt(50), s = 1 / Math.Sqrt(1.25);
        double[][] expected =
        [
            [-a, 0, 1, 1, -1.5 * s],
            [0, 1, 0, 0, -0.5 * s],
            [a, 0, 1, 1, 0.5 * s],
            [0, 0, 1, 1, 1.5 * s],
        ];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 5; c++) Assert.Equal(expected[r][c], data.Features[r, c], 12);
        }
        Assert.Equal([1.0, 0, 1, 0], data.Targets.Data);
        Assert.Equal(["no", "yes"], data.ClassNames);
        Assert.Equal(preprocessor.FeatureNames, data.FeatureNames);
        Assert.Equal("TabularPreprocessor(4 columns → 5 inputs; target 'label': 2 classes)", preprocessor.ToString());
        Assert.Equal($"Table({table.Source}: 4 rows × 6 columns, delimiter ',')", table.ToString());
    }

    [Fact]
    public void Median_imputation_uses_the_training_median()
    {
        Table table = ReadTable("v,y\n1,a\n2,b\nNA,a\n10,b\n");
        var preprocessor = TabularPreprocessor.Fit(table, new TabularOptions(Missing: MissingValueStrategy.Median));
        FeatureColumnState v = preprocessor.State.Features[0];
        Assert.Equal(2, v.Fill);
        Assert.Equal((1 + 2 + 2 + 10) / 4.0, v.Mean, 12);
        Assert.Contains("imputed 1 missing value(s) in column 'v' with the median 2", preprocessor.Notes);
    }

    [Fact]
    public void Missing_error_names_the_first_missing_cell_in_file_order()
    {
        Table table = ReadTable("a,b,y\n1,2,x\n3,?,y\n,4,x\n");
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table, new TabularOptions(Missing: MissingValueStrategy.Error)));
        Assert.Equal($"Expected no missing values (missing = error). Received: '?' in column 'b' at {Path("data.csv")} line 3.", e.Message);
    }

    [Fact]
    public void Missing_error_applies_at_transform_too()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable("a,y\n1,x\n3,y\n"), new TabularOptions(Missing: MissingValueStrategy.Error));
        var e = Assert.Throws<BackpropException>(() => preprocessor.TransformFeatures<float>(ReadTable("a\n1\nNA\n", name: "new.csv")));
        Assert.Contains("'NA' in column 'a' at " + Path("new.csv") + " line 3.", e.Message);
    }

    [Fact]
    public void Numeric_targets_with_few_integers_are_classes_sorted_by_value()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable("x,y\n1,10\n2,8\n3,8\n4,10\n5,9\n6,9\n"));
        Assert.Equal(["8", "9", "10"], preprocessor.ClassNames);
        Assert.True(preprocessor.State.Target.Numeric);
        var data = preprocessor.Transform<float>(ReadTable("x,y\n1,10\n2,8.0\n5,9\n", name: "new.csv"));
        Assert.Equal([2f, 0, 1], data.Targets.Data); // 8.0 is class "8": labels are compared by value
    }

    [Fact]
    public void Numeric_targets_with_fractions_or_many_values_are_regression()
    {
        var fractions = TabularPreprocessor.Fit(ReadTable("x,y\n1,0.5\n2,1.5\n3,2\n"));
        Assert.Equal(TaskKind.Regression, fractions.Task);
        Assert.Null(fractions.ClassNames);
        Assert.Equal([0.5, 1.5, 2], fractions.Transform<double>(ReadTable("x,y\n1,0.5\n2,1.5\n3,2\n")).Targets.Data);

        // Counts over a range far wider than their number (bills 1 to 355), and one row per value (16 years of employment):
        // quantities, not labels.
        Assert.Equal(TaskKind.Regression, TabularPreprocessor.Fit(ReadTable("x,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{i % 7},{1 + i % 5 * 80}\n")))).Task);
        Assert.Equal(TaskKind.Regression, TabularPreprocessor.Fit(ReadTable("x,y\n" + string.Concat(Enumerable.Range(0, 16).Select(i => $"{i % 7},{60_171 + i * 650}\n")))).Task);
        Assert.Equal(TaskKind.Classification, TabularPreprocessor.Fit(ReadTable("x,y\n" + string.Concat(Enumerable.Range(0, 16).Select(i => $"{i % 7},{i % 8}\n")))).Task);

        // 25 values, each in two rows (a class of one row each is an error: TabularErrorTests).
        string many = "x,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i % 25}\n"));
        Assert.Equal(TaskKind.Regression, TabularPreprocessor.Fit(ReadTable(many)).Task);
        var forced = TabularPreprocessor.Fit(ReadTable(many), new TabularOptions(Task: TaskKind.Classification));
        Assert.Equal(25, forced.ClassNames!.Count);
    }

    [Fact]
    public void Target_features_and_drop_choose_the_columns()
    {
        Table table = ReadTable("a,b,c,d\n1,2,x,4\n5,6,y,8\n");
        var byTarget = TabularPreprocessor.Fit(table, new TabularOptions(Target: "c", Drop: ["a"]));
        Assert.Equal(["b", "d"], byTarget.FeatureNames);
        Assert.Equal(["x", "y"], byTarget.ClassNames);
        var byFeatures = TabularPreprocessor.Fit(table, new TabularOptions(Target: "c", Features: ["d", "a", "d"]));
        Assert.Equal(["d", "a"], byFeatures.FeatureNames);
    }

    [Fact]
    public void Categorical_numbers_are_one_hot_and_keep_their_spelling_at_prediction()
    {
        var options = new TabularOptions(Categorical: ["zip"]);
        Table table = ReadTable("zip,n,y\n02134,1,a\n10001,2,b\n02134,3,a\n", options.ReadOptions());
        var preprocessor = TabularPreprocessor.Fit(table, options);
        Assert.Equal(["zip=02134", "zip=10001", "n"], preprocessor.FeatureNames);

        // The new file holds only one zip; read as numbers it would be 2134 and match nothing.
        string path = Files.Write("new.csv", "zip,n\n02134,2\n");
        var warnings = new List<string>();
        var features = preprocessor.TransformFeatures<float>(Table.Read(path, preprocessor.ReadOptions()), warnings: warnings);
        Assert.Equal([1f, 0, 0], features.Data);
        Assert.Empty(warnings);
        Assert.Throws<ArgumentException>(() => preprocessor.TransformFeatures<float>(Table.Read(path)));
    }

    [Fact]
    public void Unknown_categories_encode_as_zeros_with_a_warning()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable(People), PeopleOptions);
        var warnings = new List<string>();
        Table fresh = ReadTable("id,age,color,member,score\nz,40,green,true,2.5\nw,40,green,false,2.5\nv,40,blue,false,2.5\n", preprocessor.ReadOptions(), "new.csv");
        var features = preprocessor.TransformFeatures<double>(fresh, warnings: warnings);
        Assert.Equal([0.0, 0], new[] { features[0, 1], features[0, 2] });
        Assert.Equal([1.0, 0], new[] { features[2, 1], features[2, 2] });
        Assert.Equal(["column 'color': 2 row(s) with a category not seen in training (such as 'green') encoded as all zeros"], warnings);
    }

    [Fact]
    public void Fit_uses_only_the_training_rows()
    {
        Table table = ReadTable("x,y\n1,a\n3,b\n100,a\n200,b\n");
        var preprocessor = TabularPreprocessor.Fit(table, rows: [0, 1]);
        Assert.Equal(2, preprocessor.State.Features[0].Mean);
        Assert.Equal(1, preprocessor.State.Features[0].Scale);
        var validation = preprocessor.Transform<double>(table, rows: [3, 2]);
        Assert.Equal([198.0, 98], validation.Features.Data);
        Assert.Equal([1.0, 0], validation.Targets.Data);
    }

    [Fact]
    public void Rows_not_transformed_are_not_checked()
    {
        // Row 2 holds a class unseen in the training rows; transforming the other rows must not trip on it.
        Table table = ReadTable("x,y\n1,a\n3,b\n5,c\n");
        var preprocessor = TabularPreprocessor.Fit(table, rows: [0, 1]);
        Assert.Equal([0.0, 1], preprocessor.Transform<double>(table, rows: [0, 1]).Targets.Data);
        Assert.Throws<BackpropException>(() => preprocessor.Transform<double>(table));
    }

    [Fact]
    public void Rows_with_a_missing_target_are_skipped_with_a_note()
    {
        Table table = ReadTable("x,y\n1,a\n2,NA\n3,b\n");
        var preprocessor = TabularPreprocessor.Fit(table);
        Assert.Contains("skipped 1 row(s) whose target 'y' is missing", preprocessor.Notes);
        var warnings = new List<string>();
        var data = preprocessor.Transform<float>(table, warnings: warnings);
        Assert.Equal(2, data.Count);
        Assert.Equal(["skipped 1 row(s) whose target 'y' is missing"], warnings);
        Assert.Equal(3, preprocessor.TransformFeatures<float>(table).Rows); // prediction keeps every row
    }

    [Fact]
    public void Columns_with_no_value_are_dropped_and_short_unique_columns_kept()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable("empty,name,y\n,ann,a\nNA,bob,b\n"));
        Assert.Equal(["name=ann", "name=bob"], preprocessor.FeatureNames); // 2 < 10 values: too few to call it an identifier
        Assert.Contains("dropped column 'empty': every value is missing", preprocessor.Notes);
    }

    [Fact]
    public void Too_many_categories_drop_the_column_or_fail_when_asked_for()
    {
        // 12 rows, 6 distinct values: not an identifier, but over a bound of 5.
        Table table = ReadTable("town,x,y\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"t{i % 6},{i},{i % 2}\n")));
        var preprocessor = TabularPreprocessor.Fit(table, new TabularOptions(MaxCategories: 5));
        Assert.Equal(["x"], preprocessor.FeatureNames);
        Assert.Contains("dropped column 'town': too many categories to one-hot encode (6 > 5)", preprocessor.Notes);
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(table, new TabularOptions(Features: ["town"], MaxCategories: 5)));
        Assert.StartsWith("Expected at most 5 categories to one-hot encode. Received: 6 distinct values in column 'town' (", e.Message);
        Assert.Equal(6, TabularPreprocessor.Fit(table, new TabularOptions(MaxCategories: 6)).FeatureNames.Count(n => n.StartsWith("town=", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("x\ty\n1,5\ta\n2\tb\n0,25\ta\n", null)]   // detected only where ';' delimits
    [InlineData("x;y\n1,5;a\n2;b\n0,25;a\n", '.')]         // or when '.' is asked for
    public void Decimal_commas_that_are_not_read_as_such_are_pointed_out(string text, char? decimalSeparator)
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable(text, new CsvReadOptions(Decimal: decimalSeparator)));
        Assert.Equal(["x=0,25", "x=1,5", "x=2"], preprocessor.FeatureNames);
        Assert.Contains("column 'x' holds numbers written with decimal commas (such as '1,5'), so it is not numeric; " +
            "read it with the decimal separator ',' (Decimal ,) to use them as numbers", preprocessor.Notes);
        Assert.Empty(TabularPreprocessor.Fit(ReadTable("x;y\nred, dark;a\n2;b\n")).Notes);
    }

    [Fact]
    public void Json_round_trip_gives_the_same_transform()
    {
        Table table = ReadTable(People);
        var preprocessor = TabularPreprocessor.Fit(table, PeopleOptions);
        string json = preprocessor.State.ToJson();
        Assert.Contains("\"features\":[{\"name\":\"age\",\"kind\":\"Numeric\",\"mean\":40,", json);
        Assert.Contains("\"fill_category\":\"red\"", json);
        Assert.Contains("\"target\":{\"name\":\"label\",\"task\":\"Classification\",\"numeric\":false,\"classes\":[\"no\",\"yes\"]}", json);

        var restored = new TabularPreprocessor(TabularPreprocessorState.FromJson(json));
        Assert.Equal(json, restored.State.ToJson());
        Assert.Equal(preprocessor.FeatureNames, restored.FeatureNames);
        Table fresh = ReadTable("label,score,member,color,age,extra\nno,9,false,blue,35,x\nyes,,TRUE,purple,NA,y\n", restored.ReadOptions(), "new.csv");
        Assert.Equal(preprocessor.Transform<float>(fresh).Features.Data, restored.Transform<float>(fresh).Features.Data);
        Assert.Equal(preprocessor.Transform<double>(fresh).Features.Data, restored.Transform<double>(fresh).Features.Data);
        Assert.Equal(preprocessor.Transform<double>(fresh).Targets.Data, restored.Transform<double>(fresh).Targets.Data);
    }

    [Theory]
    [InlineData("{", "Expected the preprocessing state as JSON. Received: malformed JSON")]
    [InlineData("null", "Expected the preprocessing state as a JSON object. Received: null.")]
    [InlineData("{\"version\":6,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Numeric\"}],\"target\":{\"name\":\"y\",\"task\":\"Regression\",\"numeric\":true}}",
        "Received: version 6 (written by a newer Backprop).")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Numeric\",\"scale\":0}],\"target\":{\"name\":\"y\",\"task\":\"Regression\",\"numeric\":true}}",
        "a positive scale for feature 'a'")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Categorical\",\"categories\":[\"p\"],\"fill_category\":\"q\"}],\"target\":{\"name\":\"y\",\"task\":\"Regression\",\"numeric\":true}}",
        "a fill category among the categories of feature 'a'")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Numeric\"}],\"target\":{\"name\":\"y\",\"task\":\"Classification\",\"numeric\":true,\"classes\":[\"1\"]}}",
        "at least 2 distinct classes")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Categorical\",\"categories\":[null],\"fill_category\":\"q\"}],\"target\":{\"name\":\"y\",\"task\":\"Regression\",\"numeric\":true}}",
        "no null category for feature 'a'")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Numeric\"}],\"target\":{\"name\":\"y\",\"task\":\"Classification\",\"numeric\":false,\"classes\":[\"p\",null]}}",
        "at least 2 distinct classes")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Numeric\"}]}", "a target column name")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[{\"name\":\"a\",\"kind\":\"Sparse\"}],\"target\":{\"name\":\"y\",\"task\":\"Regression\",\"numeric\":true}}",
        "malformed JSON")]
    [InlineData("{\"version\":1,\"missing\":\"Mean\",\"features\":[],\"target\":{\"name\":\"y\",\"task\":\"Regression\",\"numeric\":true}}",
        "at least one feature column")]
    public void Malformed_state_json_is_a_clear_error(string json, string expected)
    {
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessorState.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    // Raw values for EncodeNumbers: numbers (with a repeated value and NaN), a 0/1 column the preprocessor reads as booleans.
    private static (Table Table, float[] Raw) NumbersAndFlags(int rows, int seed, bool missing = true)
    {
        var rng = new Random(seed);
        var raw = new float[rows * 3];
        for (int r = 0; r < rows; r++)
        {
            raw[r * 3] = missing && r % 7 == 3 ? float.NaN : (float)(rng.NextDouble() * 100 - 20);
            raw[r * 3 + 1] = r % 5 == 0 ? 2.5f : (float)Math.Exp(rng.NextDouble() * 4);
            raw[r * 3 + 2] = missing && r % 11 == 4 ? float.NaN : rng.Next(2);
        }
        Table table = Table.FromColumns("values", [("a", false), ("b", false), ("flag", true), ("y", false)], rows,
            (r, c) => c < 2 ? raw[r * 3 + c] : c == 3 ? r % 3 : double.NaN,
            (r, c) => c == 2 && !float.IsNaN(raw[r * 3 + 2]) ? (raw[r * 3 + 2] != 0 ? "true" : "false") : null);
        return (table, raw);
    }

    [Theory]
    [InlineData(NumericScaling.Standard, 0)]
    [InlineData(NumericScaling.Standard, 8)]
    [InlineData(NumericScaling.Robust, 8)]
    public void Numbers_encode_straight_to_the_inputs_a_table_of_them_gives_to_the_bit(NumericScaling scaling, int bins)
    {
        var (training, _) = NumbersAndFlags(200, 1);
        var preprocessor = TabularPreprocessor.Fit(training, new TabularOptions(Target: "y", Scaling: scaling, PiecewiseLinearBins: bins));
        Assert.Equal([FeatureKind.Numeric, FeatureKind.Numeric, FeatureKind.Boolean], preprocessor.State.Features.Select(f => f.Kind));
        Assert.Equal(bins > 0, preprocessor.State.Features[0].Bins > 0);

        // New rows, some outside the training range, missing values among them.
        var (table, raw) = NumbersAndFlags(57, 2);
        var numbers = new Backprop.Tensors.Matrix<float>(raw, 57, 3);
        float[] viaTable = preprocessor.TransformFeatures<float>(table).Data;
        Assert.Equal(viaTable, preprocessor.EncodeNumbers(numbers)!.Data);
        Assert.Equal(preprocessor.TransformFeatures<double>(table).Data,
            preprocessor.EncodeNumbers(new Backprop.Tensors.Matrix<double>([.. raw.Select(v => (double)v)], 57, 3))!.Data);
    }

    [Fact]
    public void Numbers_the_table_must_report_are_left_to_it()
    {
        var (training, _) = NumbersAndFlags(100, 1);
        var preprocessor = TabularPreprocessor.Fit(training, new TabularOptions(Target: "y"));
        Assert.Null(preprocessor.EncodeNumbers(new Backprop.Tensors.Matrix<float>([1, float.PositiveInfinity, 0], 1, 3)));
        Assert.Null(preprocessor.EncodeNumbers(new Backprop.Tensors.Matrix<float>([1, 2], 1, 2)));
        Assert.NotNull(preprocessor.EncodeNumbers(new Backprop.Tensors.Matrix<float>([float.NaN, 2, 1], 1, 3)));
        var strict = TabularPreprocessor.Fit(NumbersAndFlags(100, 3, missing: false).Table, new TabularOptions(Target: "y", Missing: MissingValueStrategy.Error));
        Assert.Null(strict.EncodeNumbers(new Backprop.Tensors.Matrix<float>([float.NaN, 2, 1], 1, 3)));
        Assert.NotNull(strict.EncodeNumbers(new Backprop.Tensors.Matrix<float>([1, 2, 1], 1, 3)));
        Table categorical = ReadTable("c,x,y\nred,1,0\nblue,2,1\nred,3,0\nblue,4,1\n");
        Assert.Null(TabularPreprocessor.Fit(categorical, new TabularOptions(Target: "y")).EncodeNumbers(new Backprop.Tensors.Matrix<float>([0, 1], 1, 2)));
    }
}
