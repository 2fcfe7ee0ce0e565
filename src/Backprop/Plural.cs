using System.Globalization;

namespace Backprop;

/// <summary>A count and its noun, agreeing: <c>1 input</c>, <c>4 inputs</c>, <c>1 class</c>, <c>3 classes</c>.</summary>
internal static class Plural
{
    /// <summary><paramref name="count"/> (with thousands separators) and <paramref name="singular"/>, or its plural (<c>s</c> added unless given).</summary>
    public static string Of(long count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}");
}
