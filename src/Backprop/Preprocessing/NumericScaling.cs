namespace Backprop.Preprocessing;

/// <summary>How a numeric feature column becomes a model input.</summary>
public enum NumericScaling
{
    /// <summary><c>(x − mean) / std</c>, with the population standard deviation (scikit-learn's <c>StandardScaler</c>, the notebook's).</summary>
    Standard,

    /// <summary>
    /// Robust scaling and smooth clipping (RealMLP, Holzmüller et al. 2024): <c>z = (x − median) / (q₇₅ − q₂₅)</c> (half the range when
    /// the quartiles agree, 0 for a constant column), then <c>z / √(1 + (z/3)²)</c>, which leaves the bulk of a column as it is and
    /// bends outliers smoothly towards ±3: one extreme value no longer squeezes the rest of its column into a sliver near zero.
    /// </summary>
    Robust,
}
