using System.Globalization;
using System.Text;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

/// <summary>
/// A column with the same value in every row tells the rows apart by nothing: it is dropped with a note that says how to keep
/// it, as an identifier is, instead of becoming an input that is always 0 (with a feigned spread: mean 5, std 1).
/// </summary>
public sealed class ConstantColumnsTests : TempFileTest
{
    // 20 rows: x varies, the given columns are constant (a cell of each missing on the row given), y two classes.
    private Table Rows(string header, Func<int, string> constants, int rows = 20) =>
        Table.Read(Files.Write("data.csv", $"x,{header},y\n" + string.Concat(Enumerable.Range(0, rows)
            .Select(r => $"{(r * 7 % 13).ToString(CultureInfo.InvariantCulture)},{constants(r)},{(r % 2 == 0 ? "a" : "b")}\n"))));

    [Fact]
    public void Numeric_text_and_boolean_columns_of_one_value_are_dropped_with_a_note()
    {
        var preprocessor = TabularPreprocessor.Fit(Rows("const,site,flag", r => r == 3 ? "5,,true" : "5,lab,true"));
        Assert.Equal(["x"], preprocessor.FeatureNames);
        Assert.Contains("dropped column 'const': the same value (5) in every row; to use it as a feature: Keep", preprocessor.Notes);
        Assert.Contains("dropped column 'site': the same value ('lab') in every row that has one; to use it as a feature: Keep", preprocessor.Notes);
        Assert.Contains("dropped column 'flag': the same value ('true') in every row; to use it as a feature: Keep", preprocessor.Notes);
        Assert.DoesNotContain(preprocessor.Notes, n => n.StartsWith("imputed", StringComparison.Ordinal));
    }

    [Fact]
    public void Keep_uses_it_as_before()
    {
        var preprocessor = TabularPreprocessor.Fit(Rows("const", _ => "5"), new TabularOptions(Keep: ["const"]));
        Assert.Equal(["x", "const"], preprocessor.FeatureNames);
        FeatureColumnState constant = preprocessor.State.Features[1];
        Assert.Equal((5.0, 1.0), (constant.Mean, constant.Scale));
    }

    [Fact]
    public void Below_the_rows_an_identifier_needs_a_constant_column_is_kept()
    {
        // In a file of a few rows every column may be constant by chance.
        Assert.Equal(["x", "const"], TabularPreprocessor.Fit(Rows("const", _ => "5", rows: 9)).FeatureNames);
    }

    [Fact]
    public void New_data_where_it_varies_is_predicted_without_it()
    {
        var preprocessor = TabularPreprocessor.Fit(Rows("const", _ => "5"));
        Table fresh = Table.Read(Files.Write("new.csv", "x,const,y\n1,7,a\n2,not a number,b\n"), preprocessor.ReadOptions());
        var notes = new List<string>();
        Matrix<double> features = preprocessor.TransformFeatures<double>(fresh, notes: notes);
        Assert.Equal((2, 1), (features.Rows, features.Columns));
        Assert.Empty(notes);
    }

    [Fact]
    public void Only_constant_features_is_an_error_that_names_them_and_the_way_to_keep_them()
    {
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(Rows("c", _ => "1"), new TabularOptions(Drop: ["x"])));
        Assert.Equal($"Expected at least one feature column whose value varies besides the target 'y'. Received: the same value in every row of c ({Path.Combine(Files.Directory, "data.csv")}); to use them anyway: Keep.",
            e.Message);
    }
}
