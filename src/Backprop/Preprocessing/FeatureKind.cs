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

    /// <summary>
    /// ISO 8601 dates or date-times (<c>2024-03-01</c>, <c>2024-03-01T12:30:00Z</c>), or dates with the year last in the order
    /// their column tells (<c>3/15/2024</c>, <c>15.03.2024 14:30</c>: <see cref="DayMonthDates"/>): the days since 1970-01-01 UTC, the time of
    /// day their fraction, then as a numeric column (imputed, scaled, with its piecewise-linear bins); one input plus its bins and
    /// its calendar inputs (<see cref="CalendarPart"/>).
    /// </summary>
    Date,
}
