using Backprop.Preprocessing;

namespace Backprop.Models;

/// <summary>The standardization of a regression target: the network learns <c>(y − Mean) / Scale</c>, predictions are un-scaled back.</summary>
/// <param name="Mean">Training mean of the target.</param>
/// <param name="Scale">Training population standard deviation of the target (1 when constant).</param>
public sealed record TargetScaling(double Mean, double Scale)
{
    /// <summary>No scaling: mean 0, scale 1.</summary>
    public static TargetScaling None { get; } = new(0, 1);

    /// <summary>Fits the scaling to <paramref name="values"/> (population std; a constant target gets scale 1), as the features' scaler does.</summary>
    public static TargetScaling Fit(ReadOnlySpan<double> values)
    {
        (double mean, double scale) = StandardScaler<double>.FitColumn(values);
        return new TargetScaling(mean, scale);
    }

    /// <summary><c>(y − Mean) / Scale</c>.</summary>
    public double Standardize(double y) => StandardScaler<double>.Standardize(y, Mean, Scale);

    /// <summary><c>z · Scale + Mean</c>.</summary>
    public double Unscale(double z) => z * Scale + Mean;
}
