namespace Backprop.Preprocessing;

/// <summary>
/// The order of day and month in dates written with the year last (<c>15/03/2024</c>, <c>3/15/2024</c>, <c>15.03.2024</c>),
/// as a column's own values tell it (<see cref="DayMonthDates"/>).
/// </summary>
public enum DateOrder
{
    /// <summary>Day, month, year: <c>15/03/2024</c>, <c>15.03.2024</c> (most of Europe, Latin America, much of Asia).</summary>
    DayFirst,

    /// <summary>Month, day, year: <c>3/15/2024</c> (the United States' way, Excel's short date there).</summary>
    MonthFirst,
}
