using Backprop.Data;

namespace Backprop.Tests.Data;

public class MissingValuesTests
{
    [Fact]
    public void Spellings_are_every_marker_in_every_case_and_all_missing()
    {
        // "", "?", 2² NA, 2² N/A, 2³ NaN, 2⁴ null, and Excel's errors: 2² #N/A, 2³ #DIV/0!, 2⁵ #VALUE!, 2³ #REF!, 2⁴ #NAME?,
        // 2³ #NUM!, 2⁴ #NULL!, 2⁵ #SPILL!, 2⁴ #CALC!
        Assert.Equal(34 + 140, MissingValues.Spellings.Count);
        Assert.Equal(MissingValues.Spellings.Count, MissingValues.Spellings.Distinct(StringComparer.Ordinal).Count());
        Assert.All(MissingValues.Spellings, spelling => Assert.True(MissingValues.IsMissing(spelling), spelling));
        Assert.Contains("nUlL", MissingValues.Spellings);
        Assert.Contains("n/A", MissingValues.Spellings);
        Assert.Contains("#DIV/0!", MissingValues.Spellings);
    }

    [Fact]
    public void A_spreadsheets_error_values_are_missing_with_a_note_and_a_column_of_numbers_stays_numbers()
    {
        // The user test: 30 of 300 cells of a ratio were #DIV/0! or #N/A, as Excel exports a formula without a value; the
        // column was text, 260 distinct values, and dropped as an identifier.
        var text = new System.Text.StringBuilder("ratio,y\n");
        for (int r = 0; r < 300; r++) text.Append(r % 17 == 5 ? "#DIV/0!" : r % 23 == 7 ? "#N/A" : (r * 0.01).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",a\n");
        using var files = new TempFiles();
        Table table = Table.Read(files.Write("excel.csv", text.ToString()));
        TableColumn ratio = table.Find("ratio")!;
        Assert.True(ratio.IsNumeric);
        Assert.Equal(18 + 13 - 1, ratio.MissingCount); // rows 5, 22, … and 7, 30, …; row 260 is both
        Assert.Equal(["column 'ratio': spreadsheet error values (such as '#DIV/0!') read as missing"], table.Notes);
        Assert.False(MissingValues.IsMissing("#DIV/0"));
        Assert.False(MissingValues.IsMissing("#REF"));
        Assert.True(MissingValues.IsMissing("#value!"));
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
