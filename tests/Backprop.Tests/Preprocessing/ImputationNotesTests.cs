using System.Text;
using Backprop.Data;
using Backprop.Preprocessing;

namespace Backprop.Tests.Preprocessing;

/// <summary>
/// The imputation of many columns is one note (statsmodels' fertility data gave 49, one a year), in training and in a
/// transform, chunk by chunk or whole; a few columns keep a note each.
/// </summary>
public sealed class ImputationNotesTests : TempFileTest
{
    // 20 rows of `columns` numeric columns named 1960, 1961, …; column c misses its cell on rows 0 to c (c + 1 values), y two classes.
    private string Years(int columns, string name = "data.csv")
    {
        var text = new StringBuilder(string.Join(',', Enumerable.Range(1960, columns)) + ",y\n");
        for (int r = 0; r < 20; r++)
        {
            text.Append(string.Join(',', Enumerable.Range(0, columns).Select(c => r <= c ? "" : $"{(r * (c + 3)) % 17}")));
            text.Append(',').Append(r % 2 == 0 ? "a" : "b").Append('\n');
        }
        return Files.Write(name, text.ToString());
    }

    [Fact]
    public void Many_imputed_columns_are_one_note_in_training()
    {
        var preprocessor = TabularPreprocessor.Fit(Table.Read(Years(8)));
        Assert.Equal(["imputed 36 missing values in 8 columns ('1960': 1, '1961': 2, '1962': 3, '1963': 4, '1964': 5 and 3 more), each with its mean"],
            preprocessor.Notes.Where(n => n.StartsWith("imputed", StringComparison.Ordinal)));
    }

    [Fact]
    public void Numbers_and_categories_imputed_in_a_transform_are_named_together()
    {
        // A transform's notes say "the training mean", "the most frequent value in training"; the summary says it once, at the end.
        string[] notes = [.. Enumerable.Range(0, 5).Select(c => $"imputed 2 missing value(s) in column 'x{c}' with the training mean {c}.5"),
            "imputed 3 missing value(s) in column 'colour' with the most frequent value in training, 'red'", "another note"];
        Assert.Equal(["imputed 13 missing values in 6 columns ('x0': 2, 'x1': 2, 'x2': 2, 'x3': 2, 'x4': 2 and 1 more), each with its mean or most frequent value in the training data",
            "another note"], ImputationNotes.Summarize(notes));
    }

    [Fact]
    public void A_few_imputed_columns_keep_a_note_each()
    {
        var preprocessor = TabularPreprocessor.Fit(Table.Read(Years(5)));
        Assert.Equal(5, preprocessor.Notes.Count(n => n.StartsWith("imputed ", StringComparison.Ordinal)));
        Assert.Contains(preprocessor.Notes, n => n.StartsWith("imputed 5 missing value(s) in column '1964' with the mean ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_transform_chunk_by_chunk_says_them_in_one_note_with_the_counts_summed()
    {
        string path = Years(8);
        var preprocessor = TabularPreprocessor.Fit(Table.Read(path));
        var notes = new TransformRemarks();
        foreach (Table chunk in Table.ReadChunks(path, preprocessor.ReadOptions(), rowsPerChunk: 3))
        {
            var chunkNotes = new List<string>();
            preprocessor.TransformFeatures<float>(chunk, notes: chunkNotes);
            notes.Add(chunkNotes);
        }
        Assert.Equal(["imputed 36 missing values in 8 columns ('1960': 1, '1961': 2, '1962': 3, '1963': 4, '1964': 5 and 3 more), each with its mean in the training data"],
            notes.Messages);
    }
}
