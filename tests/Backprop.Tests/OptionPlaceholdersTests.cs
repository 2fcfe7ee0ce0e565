using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests;

/// <summary>Suggestions name options as each front end does, and put a column's name where a shell reads it as one word.</summary>
public sealed class OptionPlaceholdersTests : TempFileTest
{
    [Theory]
    [InlineData("date", "date")]
    [InlineData("Petal.Length", "Petal.Length")]
    [InlineData("Umsatz_2024", "Umsatz_2024")]
    [InlineData("déjà", "déjà")]
    [InlineData("Order Date", "'Order Date'")]
    [InlineData("price ($)", "'price ($)'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("{x}", "'{{x}}'")] // braces doubled for the template
    [InlineData("", "''")]
    public void A_value_is_one_word_to_a_shell(string text, string expected) => Assert.Equal(expected, OptionPlaceholders.Value(text));

    [Fact]
    public void A_suggestion_quotes_a_column_name_with_a_space()
    {
        // The user test: "--categorical Order Date" was two words, and the shell gave --categorical the first alone.
        var text = new System.Text.StringBuilder("Order Date,y\n");
        for (int r = 0; r < 150; r++) text.Append(r == 99 ? "1.2.3" : (1 + r % 60 / 10.0).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(r % 2).Append('\n');
        var e = Assert.Throws<BackpropException>(() => TabularPreprocessor.Fit(Table.Read(Files.Write("data.csv", text.ToString()))));
        Assert.EndsWith("or read the column as categories (--categorical 'Order Date').", e.Format(name => "--" + name.ToLowerInvariant()));
    }
}
