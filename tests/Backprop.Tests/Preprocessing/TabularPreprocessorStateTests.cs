using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

public sealed class TabularPreprocessorStateTests
{
    public static TheoryData<string, TabularPreprocessorState> States() => new()
    {
        {
            "classes, every kind of column",
            new TabularPreprocessorState(1, MissingValueStrategy.Median,
            [
                new FeatureColumnState("size", FeatureKind.Numeric, 3.25, 0.1 + 0.2, 3.5),
                new FeatureColumnState("déjà \"vu\" <b>&</b>", FeatureKind.Categorical, Categories: ["rouge", "vert", "幅", ""], FillCategory: "vert"),
                new FeatureColumnState("member", FeatureKind.Boolean, Fill: 1),
            ],
            new TargetColumnState("species", TaskKind.Classification, false, ["a", "b", "c"]),
            NumericScaling.Robust)
        },
        {
            "regression, numeric only",
            new TabularPreprocessorState(1, MissingValueStrategy.Error,
                [new FeatureColumnState("x", FeatureKind.Numeric, -1e300, 1e-300, 0)],
                new TargetColumnState("y", TaskKind.Regression, true))
        },
        {
            "numbers written with units",
            new TabularPreprocessorState(1, MissingValueStrategy.Mean,
            [
                new FeatureColumnState("price", FeatureKind.Numeric, 1522.5, 867.25, 1522.5, Unit: "$"),
                new FeatureColumnState("discount", FeatureKind.Numeric, 20, 10, 20, Unit: "%"),
                new FeatureColumnState("Preis", FeatureKind.Numeric, 3, 1, 3, Unit: "€"),
            ],
            new TargetColumnState("sold", TaskKind.Classification, false, ["no", "yes"]))
        },
        {
            "unit words, and a target with a unit",
            new TabularPreprocessorState(5, MissingValueStrategy.Mean,
            [
                new FeatureColumnState("engine", FeatureKind.Numeric, 1498, 400, 1498, Unit: "CC"),
                new FeatureColumnState("mileage", FeatureKind.Numeric, 20, 3, 20, Unit: "km/kg"),
            ],
            new TargetColumnState("price", TaskKind.Regression, true, Unit: "$"))
        },
        { "the embedded iris", TabularPreprocessor.Fit(Backprop.Data.EmbeddedDatasets.ReadTable("iris"), new TabularOptions()).State },
        {
            "the embedded wine, piecewise-linear in 8 bins",
            TabularPreprocessor.Fit(Backprop.Data.EmbeddedDatasets.ReadTable("wine"), new TabularOptions(PiecewiseLinearBins: 8)).State
        },
    };

    [Fact]
    public void A_state_with_bins_is_version_2_and_one_without_stays_1()
    {
        // A Backprop from before the bins reads versions up to 1: it refuses a state with them as newer, not read without them.
        Assert.Equal(1, TabularPreprocessor.Fit(Backprop.Data.EmbeddedDatasets.ReadTable("wine")).State.Version);
        TabularPreprocessorState binned = TabularPreprocessor.Fit(Backprop.Data.EmbeddedDatasets.ReadTable("wine"), new TabularOptions(PiecewiseLinearBins: 4)).State;
        Assert.Equal(2, binned.Version);
        var error = Assert.Throws<BackpropException>((binned with { Version = 1 }).Validate);
        Assert.Contains("version 2 or later for bin edges", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 3.0 })] // 2 bins: fewer than the minimum
    [InlineData(new[] { 1.0, 2.0, 2.0, 3.0 })] // not increasing
    [InlineData(new[] { 1.0, 2.0, double.PositiveInfinity, 4.0 })]
    public void Bin_edges_that_no_fit_writes_are_refused(double[] edges)
    {
        var state = new TabularPreprocessorState(2, MissingValueStrategy.Mean,
            [new FeatureColumnState("x", FeatureKind.Numeric, 0, 1, 0, Edges: edges)], new TargetColumnState("y", TaskKind.Regression, true));
        var error = Assert.Throws<BackpropException>(state.Validate);
        Assert.Contains("bin edges for feature 'x'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FeatureKind.Categorical, "$")]
    [InlineData(FeatureKind.Numeric, "5kg")]
    [InlineData(FeatureKind.Numeric, "two words")]
    [InlineData(FeatureKind.Numeric, "abcdefghijklmnopq")]
    [InlineData(FeatureKind.Numeric, "")]
    public void A_unit_that_no_fit_writes_is_refused(FeatureKind kind, string unit)
    {
        var feature = kind == FeatureKind.Numeric
            ? new FeatureColumnState("x", kind, 0, 1, 0, Unit: unit)
            : new FeatureColumnState("x", kind, Categories: ["a"], FillCategory: "a", Unit: unit);
        var state = new TabularPreprocessorState(TabularPreprocessorState.CurrentVersion, MissingValueStrategy.Mean, [feature], new TargetColumnState("y", TaskKind.Regression, true));
        var error = Assert.Throws<BackpropException>(state.Validate);
        Assert.Contains("a unit ('%', a currency symbol or a unit word) only for a numeric column, for feature 'x'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void The_state_written_by_hand_is_the_generated_serializers_to_the_byte_and_reads_back(string name, TabularPreprocessorState state)
    {
        // Written by hand for start-up (no serializer metadata for the JIT to compile); a field added to the state but not to the
        // writer fails here.
        string json = state.ToJson();
        Assert.True(state.GeneratedJson() == json, $"{name}:\n{state.GeneratedJson()}\n{json}");
        Assert.Equal(json, TabularPreprocessorState.FromJson(json).ToJson());
    }
}
