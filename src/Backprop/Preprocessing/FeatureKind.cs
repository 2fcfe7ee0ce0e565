namespace Backprop.Preprocessing;

/// <summary>How a feature column is turned into model inputs.</summary>
public enum FeatureKind
{
    /// <summary>Numbers: imputed, then standardized <c>(x − mean) / std</c>; one input.</summary>
    Numeric,

    /// <summary><c>true</c>/<c>false</c> (any case): 1 or 0, not standardized; one input.</summary>
    Boolean,

    /// <summary>Strings (or numbers asked to be categories): one-hot encoded; one input per category seen in training.</summary>
    Categorical,
}
