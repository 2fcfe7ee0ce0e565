using Backprop.Preprocessing;
using Backprop.Tensors;

namespace Backprop.Tests.Preprocessing;

public class EncoderTests
{
    [Theory]
    [InlineData(new[] { 3.0, 1, 2 }, MissingValueStrategy.Mean, 2.0)]
    [InlineData(new[] { 1.0, 2, 10 }, MissingValueStrategy.Mean, 13.0 / 3)]
    [InlineData(new[] { 1.0, 2, 10 }, MissingValueStrategy.Median, 2.0)]
    [InlineData(new[] { 20.0, 1, 10, 2 }, MissingValueStrategy.Median, 6.0)]
    [InlineData(new[] { 5.0 }, MissingValueStrategy.Median, 5.0)]
    public void Imputer_numeric_fill_is_the_mean_or_median(double[] values, MissingValueStrategy strategy, double expected) =>
        Assert.Equal(expected, Imputer.NumericFill(values, strategy), 12);

    [Theory]
    // Near the limits of double a running sum overflows (before: a fill of −∞, and a column refused as an invalid state).
    [InlineData(new[] { -1.7e308, -1.5e308, 1.5e308, 1.7e308, 0 }, MissingValueStrategy.Mean, 0.0)]
    [InlineData(new[] { 1.7e308, 1.6e308 }, MissingValueStrategy.Mean, 1.65e308)]
    [InlineData(new[] { 1.7e308, 1.6e308 }, MissingValueStrategy.Median, 1.65e308)]
    public void Imputer_numeric_fill_is_finite_near_the_limits_of_double(double[] values, MissingValueStrategy strategy, double expected)
    {
        double fill = Imputer.NumericFill(values, strategy);
        Assert.True(double.IsFinite(fill), $"{fill}");
        Assert.True(Math.Abs(fill - expected) <= 1e-12 * double.MaxValue, $"{fill} against {expected}");
    }

    [Fact]
    public void Imputer_needs_a_value() =>
        Assert.Throws<ArgumentException>(() => Imputer.NumericFill([], MissingValueStrategy.Mean));

    [Fact]
    public void Imputer_most_frequent_breaks_ties_ordinally()
    {
        Assert.Equal(1, Imputer.MostFrequent([2, 3, 1], ["a", "b", "c"]));
        Assert.Equal(2, Imputer.MostFrequent([2, 0, 2], ["b", "z", "a"])); // "a" < "b"
        Assert.Equal(-1, Imputer.MostFrequent([0, 0], ["a", "b"]));
    }

    [Fact]
    public void One_hot_categories_are_sorted_and_unknown_is_all_zero()
    {
        var encoder = OneHotEncoder.Fit(["red", "blue", "red", "Green"]);
        Assert.Equal(["Green", "blue", "red"], encoder.Categories); // ordinal: upper case first
        var row = new float[3];
        encoder.Encode<float>(row, encoder.IndexOf("blue"));
        Assert.Equal([0f, 1, 0], row);
        encoder.Encode<float>(row, encoder.IndexOf("purple"));
        Assert.Equal(-1, encoder.IndexOf("purple"));
        Assert.Equal([0f, 0, 0], row);
        Assert.Throws<ArgumentException>(() => encoder.Encode<float>(new float[2], 0));
        Assert.Throws<ArgumentException>(() => new OneHotEncoder(["a", "a"]));
    }

    [Fact]
    public void Label_encoder_sorts_strings_ordinally_and_numbers_by_value()
    {
        var strings = LabelEncoder.Fit(["b", "a", "B", "b"]);
        Assert.Equal(["B", "a", "b"], strings.Classes);
        Assert.True(strings.TryEncode("a", out int index));
        Assert.Equal(1, index);
        Assert.False(strings.TryEncode("c", out _));
        Assert.Equal("b", strings.Decode(2));

        var numbers = LabelEncoder.FitNumeric([10, 2, -1, 2, 2.5]);
        Assert.Equal(["-1", "2", "2.5", "10"], numbers.Classes);
    }

    [Fact]
    public void Scaler_column_statistics_match_the_matrix_fit()
    {
        double[] column = [1, 4, 4, 7, 9];
        (double mean, double scale) = StandardScaler<double>.FitColumn(column);
        var scaler = StandardScaler<double>.Fit(new Matrix<double>(column, 5, 1));
        Assert.Equal(5.0, mean, 12);
        Assert.Equal(Math.Sqrt((16 + 1 + 1 + 4 + 16) / 5.0), scale, 12);
        Assert.Equal(scaler.Mean[0], mean, 12);
        Assert.Equal(scaler.Scale[0], scale, 12);
        Assert.Equal((3.0, 1.0), StandardScaler<double>.FitColumn([3, 3, 3])); // constant: divide by 1
        Assert.Equal((0.0, 1.0), StandardScaler<double>.FitColumn([]));
    }
}
