using System.Globalization;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

/// <summary>
/// Columns that identify rows rather than describe them are dropped with a note that says why and how to keep them; columns
/// that only resemble them are kept. The shapes are those of real files: statsmodels' spector (OBS) and modechoice
/// (individual), MASS biopsy (ID), penguins_raw (Individual ID), a year in a time series.
/// </summary>
public sealed class IdentifierColumnsTests : TempFileTest
{
    private static readonly string[] Grades = ["0", "1", "0", "0", "1", "1", "0", "1", "1", "0", "0", "1", "0", "1", "1", "0", "1", "0", "0", "1"];

    private Table ReadTable(string header, Func<int, string> row, int rows = 20) =>
        Table.Read(Files.Write("data.csv", header + "\n" + string.Concat(Enumerable.Range(0, rows).Select(r => row(r) + "\n"))));

    // A feature that is not an identifier: values repeat, in no order.
    private static string Gpa(int r) => (2.0 + (r * 7 % 11) / 10.0).ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void A_first_column_that_numbers_the_rows_is_dropped_with_the_way_to_keep_it()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable("OBS,GPA,GRADE", r => $"{r + 1},{Gpa(r)},{Grades[r]}"));
        Assert.Equal(["GPA"], preprocessor.FeatureNames);
        Assert.Contains("dropped column 'OBS': it numbers the rows (1 to 20 in file order); to use it as a feature: Keep", preprocessor.Notes);

        var kept = TabularPreprocessor.Fit(ReadTable("OBS,GPA,GRADE", r => $"{r + 1},{Gpa(r)},{Grades[r]}"), new TabularOptions(Keep: ["OBS"]));
        Assert.Equal(["OBS", "GPA"], kept.FeatureNames);
        Assert.DoesNotContain(kept.Notes, n => n.Contains("OBS", StringComparison.Ordinal));
    }

    [Fact]
    public void A_first_column_that_numbers_groups_of_rows_is_dropped()
    {
        // modechoice: four rows (one per mode of travel) for each individual, numbered from 1.
        var preprocessor = TabularPreprocessor.Fit(ReadTable("individual,gpa,choice", r => $"{r / 2 + 1},{Gpa(r)},{Grades[r]}"));
        Assert.Equal(["gpa"], preprocessor.FeatureNames);
        Assert.Contains("dropped column 'individual': it numbers groups of rows (1 to 10 in file order); to use it as a feature: Keep", preprocessor.Notes);
    }

    [Fact]
    public void A_column_named_like_an_id_with_mostly_distinct_integers_is_dropped_wherever_it_is()
    {
        // biopsy: ID is a sample code (1000025, …), not in order, some repeated.
        var preprocessor = TabularPreprocessor.Fit(ReadTable("thickness,ID,class", r => $"{r % 5},{1_000_000 + r * 7919 % 20 / 2 * 13},{Grades[r]}"));
        Assert.Equal(["thickness"], preprocessor.FeatureNames);
        Assert.Contains("dropped column 'ID': named like an identifier, with 10 distinct integers in 20 rows; to use it as a feature: Keep", preprocessor.Notes);
    }

    [Theory]
    [InlineData("PassengerId")]
    [InlineData("customer_id")]
    [InlineData("Individual ID")]
    [InlineData("id")]
    [InlineData("index")]
    [InlineData("Unnamed: 0")]
    [InlineData("id_number")]
    [InlineData("user_id_hash")]
    public void Names_like_an_identifier(string name) => Assert.True(IdentifierColumns.IsNamedLikeIdentifier(name));

    [Theory]
    [InlineData("video_id_count")]
    [InlineData("user id total")]
    [InlineData("sessionIdMean")]
    public void Names_that_measure_the_ids_are_not_identifiers(string name) => Assert.False(IdentifierColumns.IsNamedLikeIdentifier(name));

    [Fact]
    public void A_count_of_ids_with_many_distinct_values_stays_a_feature()
    {
        // A user's file: counts per row, mostly distinct; "id" in the name is what they count, not what the row is.
        var preprocessor = TabularPreprocessor.Fit(ReadTable("video_id_count,class", r => $"{r * 37 % 101},{Grades[r]}"));
        Assert.Equal(["video_id_count"], preprocessor.FeatureNames);
    }

    [Theory]
    [InlineData("paid")]
    [InlineData("Idle")]
    [InlineData("width")]
    [InlineData("rapid_growth")]
    [InlineData("IDCode")]
    public void Names_that_only_contain_the_letters(string name) => Assert.False(IdentifierColumns.IsNamedLikeIdentifier(name));

    [Fact]
    public void Columns_that_only_resemble_identifiers_are_kept()
    {
        // A year counting up (starts at neither 0 nor 1), a counter that is not the first column and not named like an id,
        // unique integers without an id's name, an id-named column with few distinct values, non-integers, a missing cell.
        Table table = ReadTable("x,year,step,amount,group_id,ratio,gaps,y", r =>
            $"{r % 3},{1947 + r},{r + 1},{r * r * 37 % 101},{r % 4},{r + 0.5},{(r == 5 ? "NA" : (r + 1).ToString(CultureInfo.InvariantCulture))},{Grades[r]}");
        var preprocessor = TabularPreprocessor.Fit(table);
        Assert.Equal(["x", "year", "step", "amount", "group_id", "ratio", "gaps"], preprocessor.FeatureNames);
        Assert.DoesNotContain(preprocessor.Notes, n => n.StartsWith("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_counter_that_is_the_only_feature_is_kept_with_a_note()
    {
        // y = f(x) sampled at x = 0, 1, 2, …: a curve to fit, not a table with a row number.
        var preprocessor = TabularPreprocessor.Fit(ReadTable("x,y", r => $"{r},{Math.Sin(r / 3.0).ToString(CultureInfo.InvariantCulture)}", rows: 30));
        Assert.Equal(["x"], preprocessor.FeatureNames);
        Assert.Contains("column 'x' looks like an identifier (it numbers the rows (0 to 29 in file order)), but it is the only feature: kept", preprocessor.Notes);
    }

    [Fact]
    public void Text_with_mostly_distinct_values_is_dropped_and_text_with_few_is_encoded()
    {
        // penguins_raw: "Individual ID" N1A1, N1A2, N2A1, … with most values seen once or twice.
        Table table = ReadTable("Individual ID,island,y", r => $"N{r / 3}A{r % 3 % 2},{(r % 3 == 0 ? "Biscoe" : "Dream")},{Grades[r]}", rows: 20);
        var preprocessor = TabularPreprocessor.Fit(table);
        Assert.Equal(["island=Biscoe", "island=Dream"], preprocessor.FeatureNames);
        Assert.Contains("dropped column 'Individual ID': identifier-like (14 distinct values in 20 rows: most categories would be seen once or twice); to use it as a feature: Keep",
            preprocessor.Notes);
        Assert.Equal(16, TabularPreprocessor.Fit(table, new TabularOptions(Keep: ["Individual ID"])).FeatureCount);
    }

    [Fact]
    public void A_categorical_column_with_many_categories_is_noted()
    {
        Table table = ReadTable("zip,y", r => $"z{r % 25},{r % 2}", rows: 100);
        var preprocessor = TabularPreprocessor.Fit(table);
        Assert.Equal(25, preprocessor.FeatureCount);
        Assert.Contains("column 'zip': 25 categories, one-hot encoded as as many inputs", preprocessor.Notes);
    }

    [Fact]
    public void A_numeric_target_taken_as_classes_says_how_to_make_it_a_regression()
    {
        // esoph's ncases: counts 0 to 17, 10 distinct values.
        int[] cases = [0, 1, 2, 3, 4, 5, 6, 8, 9, 17];
        var preprocessor = TabularPreprocessor.Fit(ReadTable("agegp,ncases", r => $"{r % 6},{cases[r % 10]}"));
        Assert.Equal(TaskKind.Classification, preprocessor.Task);
        Assert.Contains("target 'ncases' holds integers with 10 distinct values (0 to 17), so it is taken as 10 classes; to predict it as a number (a count, an amount): Task regression",
            preprocessor.Notes);

        // Labels 1, 2, 3 are classes beyond doubt; a task given is not inferred.
        Assert.DoesNotContain(TabularPreprocessor.Fit(ReadTable("a,class", r => $"{r % 4},{r % 3 + 1}")).Notes, n => n.StartsWith("target", StringComparison.Ordinal));
        Assert.DoesNotContain(TabularPreprocessor.Fit(ReadTable("agegp,ncases", r => $"{r % 6},{cases[r % 10]}"), new TabularOptions(Task: TaskKind.Classification)).Notes,
            n => n.StartsWith("target", StringComparison.Ordinal));
    }

    [Fact]
    public void Braces_in_a_column_name_stay_text()
    {
        var preprocessor = TabularPreprocessor.Fit(ReadTable("{Keep},x,y", r => $"{r + 1},{r % 3},{Grades[r]}"));
        Assert.Contains("dropped column '{Keep}': it numbers the rows (1 to 20 in file order); to use it as a feature: Keep", preprocessor.Notes);
    }
}
