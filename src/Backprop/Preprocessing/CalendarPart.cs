namespace Backprop.Preprocessing;

/// <summary>
/// What a date column (<see cref="FeatureKind.Date"/>) adds to its days since 1970, so that a network can tell a Saturday from a
/// Monday, or January from July, which a line through the days cannot: each an input block after the days and their bins.
/// </summary>
public enum CalendarPart
{
    /// <summary>The day of the week, one-hot, Monday first: 7 inputs.</summary>
    Weekday,

    /// <summary>The time of year, as the sine and cosine of its angle on a year of 365.2425 days: 2 inputs.</summary>
    Year,

    /// <summary>The time of day, as the sine and cosine of its angle on a day: 2 inputs.</summary>
    Day,
}
