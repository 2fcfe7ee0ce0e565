using Backprop.Data;

namespace Backprop.Tests.Data;

public class MissingValuesTests
{
    [Fact]
    public void Spellings_are_every_marker_in_every_case_and_all_missing()
    {
        Assert.Equal(34, MissingValues.Spellings.Count); // "", "?", 2² NA, 2² N/A, 2³ NaN, 2⁴ null
        Assert.Equal(MissingValues.Spellings.Count, MissingValues.Spellings.Distinct(StringComparer.Ordinal).Count());
        Assert.All(MissingValues.Spellings, spelling => Assert.True(MissingValues.IsMissing(spelling), spelling));
        Assert.Contains("nUlL", MissingValues.Spellings);
        Assert.Contains("n/A", MissingValues.Spellings);
    }

    [Fact]
    public void Every_text_one_character_away_from_a_spelling_is_missing_only_if_it_is_a_spelling()
    {
        // An exact list (an ONNX graph's) must accept what IsMissing accepts: no other character, ASCII or not, folds onto
        // a marker's letters under IsMissing's case-insensitive comparison.
        var spellings = new HashSet<string>(MissingValues.Spellings, StringComparer.Ordinal);
        foreach (string spelling in MissingValues.Spellings)
        {
            char[] text = spelling.ToCharArray();
            for (int i = 0; i < text.Length; i++)
            {
                char original = text[i];
                for (int c = 0; c <= char.MaxValue; c++)
                {
                    text[i] = (char)c;
                    if (MissingValues.IsMissing(text) != spellings.Contains(new string(text)))
                    {
                        Assert.Fail($"'{new string(text)}' (U+{c:X4} at {i} of '{spelling}'): IsMissing {MissingValues.IsMissing(text)}");
                    }
                }
                text[i] = original;
            }
        }
    }
}
