namespace Backprop.Preprocessing;

/// <summary>What to do with missing cells (see <see cref="Data.MissingValues"/>) in feature columns.</summary>
public enum MissingValueStrategy
{
    /// <summary>Numeric columns get the training mean; boolean and categorical columns the most frequent value (the default).</summary>
    Mean,

    /// <summary>Numeric columns get the training median; boolean and categorical columns the most frequent value.</summary>
    Median,

    /// <summary>Any missing cell is an error naming its line and column.</summary>
    Error,
}
