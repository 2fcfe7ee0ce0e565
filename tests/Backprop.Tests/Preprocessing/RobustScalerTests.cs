using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

/// <summary>Robust scaling and smooth clipping: numpy's quantiles, the fallbacks, the clip, and the preprocessor using them.</summary>
public sealed class RobustScalerTests : TempFileTest
{
    [Fact]
    public void Centre_and_scale_are_the_median_and_interquartile_range_numpy_gives()
    {
        // np.median([1, 2, 4, 7, 100]) = 4; np.quantile(…, .75) − np.quantile(…, .25) = 7 − 2 = 5.
        Assert.Equal((4.0, 5.0), RobustScaler.FitColumn([100, 7, 1, 4, 2]));
        // Interpolated: [1, 2, 3, 4] → median 2.5, quartiles 1.75 and 3.25.
        Assert.Equal((2.5, 1.5), RobustScaler.FitColumn([4, 3, 2, 1]));
    }

    [Fact]
    public void A_mostly_constant_column_is_scaled_by_half_its_range_and_a_constant_one_by_one()
    {
        Assert.Equal((0.0, 5.0), RobustScaler.FitColumn([0, 0, 0, 0, 0, 0, 10, 0]));
        Assert.Equal((3.0, 1.0), RobustScaler.FitColumn([3, 3, 3]));
        Assert.Equal((0.0, 1.0), RobustScaler.FitColumn([]));
    }

    [Fact]
    public void Smooth_clipping_keeps_small_values_and_bounds_large_ones_by_three()
    {
        Assert.Equal(0, RobustScaler.SmoothClip(0));
        Assert.Equal(1 / Math.Sqrt(1 + 1.0 / 9), RobustScaler.SmoothClip(1), 15);
        Assert.Equal(-3 / Math.Sqrt(2), RobustScaler.SmoothClip(-3), 15);
        Assert.Equal(3, RobustScaler.SmoothClip(1e200));
        Assert.Equal(-3, RobustScaler.SmoothClip(double.NegativeInfinity));
        Assert.True(RobustScaler.SmoothClip(1e6) is > 2.99999 and < 3);
    }

    [Fact]
    public void The_preprocessor_scales_numeric_columns_robustly_and_leaves_one_hot_columns()
    {
        Table table = Table.Read(Files.Write("t.csv", "x,c,y\n1,a,p\n2,b,q\n4,a,p\n7,b,q\n1000,a,p\n"));
        TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table, new TabularOptions("y", Scaling: NumericScaling.Robust));
        Assert.Equal(NumericScaling.Robust, preprocessor.State.Scaling);
        Dataset<double> data = preprocessor.Transform<double>(table);
        double Clip(double z) => z / Math.Sqrt(1 + z * z / 9);
        // x: median 4, quartiles 2 and 7; the outlier 1000 lands just under 3 instead of squeezing the others.
        double[] expected = [.. new[] { 1.0, 2, 4, 7, 1000 }.Select(x => Clip((x - 4) / 5))];
        for (int r = 0; r < 5; r++) Assert.Equal(expected[r], data.Features[r, 0], 1e-15);
        // c one-hot, unchanged: a b a b a.
        Assert.Equal(new[] { 1.0, 0, 1, 0, 1 }, Enumerable.Range(0, 5).Select(r => data.Features[r, 1]).ToArray());
        // The state round-trips through JSON, scaling included, and a state without the key is standard.
        Assert.Equal(NumericScaling.Robust, TabularPreprocessorState.FromJson(preprocessor.State.ToJson()).Scaling);
        var json = System.Text.Json.Nodes.JsonNode.Parse(preprocessor.State.ToJson())!.AsObject();
        Assert.True(json.Remove("scaling"));
        string legacy = json.ToJsonString();
        Assert.Equal(NumericScaling.Standard, TabularPreprocessorState.FromJson(legacy).Scaling);
    }
}
