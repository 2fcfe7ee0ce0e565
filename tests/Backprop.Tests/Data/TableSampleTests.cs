using System.Globalization;
using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data;

public sealed class TableSampleTests : TempFileTest
{
    private static readonly HashSet<string> NoText = [];

    private string File(int rows)
    {
        var text = new StringBuilder("id,x,name\n");
        for (int r = 0; r < rows; r++)
        {
            text.Append(r).Append(',').Append((r % 100 * 0.5).ToString(CultureInfo.InvariantCulture)).Append(',').Append(r % 2 == 0 ? "even" : "odd").Append('\n');
        }
        return Files.Write("rows.csv", text.ToString());
    }

    private static TableSample Sample(string path, int rowsPerChunk, long maxBytes, ulong seed = 7)
    {
        var sample = new TableSample(path, maxBytes);
        long row = 0;
        foreach (Table chunk in Table.ReadChunks(path, rowsPerChunk: rowsPerChunk))
        {
            for (int r = 0; r < chunk.RowCount; r++, row++) sample.Offer(chunk, r, TableSample.Key(seed, row), NoText);
        }
        return sample;
    }

    private static double[] Ids(Table table) => [.. Enumerable.Range(0, table.RowCount).Select(table.Find("id")!.GetNumber)];

    [Fact]
    public void A_bounded_sample_is_the_rows_whose_key_is_below_its_rate_whatever_the_chunking()
    {
        string path = File(50_000);
        TableSample small = Sample(path, 1000, 200_000), other = Sample(path, 7777, 200_000);
        Assert.True(small.Rate < 1);
        Assert.Equal(small.Rate, other.Rate);
        Assert.Equal(50_000, small.Offered);
        Table table = small.ToTable();
        Assert.Equal(Ids(table), Ids(other.ToTable()));
        // Exactly the rows below the rate, in file order, at their own lines.
        double[] expected = [.. Enumerable.Range(0, 50_000).Where(r => TableSample.Key(7, r) < small.Rate).Select(r => (double)r)];
        Assert.Equal(expected, Ids(table));
        Assert.Equal($"{path} line {(int)expected[10] + 2}", table.LocationOf(10));
        // Bounded: at most the bytes given (36 a row: two numbers, a code, a key, a line, a part), at least half of them.
        Assert.InRange(table.RowCount, 200_000 / 36 / 2, 200_000 / 36);
        // Uniform: the sample's mean of x is the file's (24.75) within a few standard errors.
        TableColumn x = table.Find("x")!;
        double mean = Enumerable.Range(0, table.RowCount).Average(x.GetNumber);
        Assert.InRange(mean, 24.75 - 1.5, 24.75 + 1.5);
        Assert.Equal(["even", "odd"], table.Find("name")!.Levels.Order());
    }

    [Fact]
    public void Every_row_is_kept_when_they_fit_and_another_seed_draws_other_rows()
    {
        string path = File(3000);
        Assert.Equal(3000, Sample(path, 500, 10_000_000).ToTable().RowCount);
        Assert.NotEqual(Ids(Sample(path, 500, 20_000, seed: 1).ToTable()), Ids(Sample(path, 500, 20_000, seed: 2).ToTable()));
    }

    [Fact]
    public void Keys_are_uniform_and_independent_of_their_neighbours()
    {
        double[] keys = [.. Enumerable.Range(0, 100_000).Select(r => TableSample.Key(42, r))];
        Assert.All(keys, k => Assert.InRange(k, 0, 1 - 1e-17));
        Assert.InRange(keys.Average(), 0.497, 0.503);
        double lag = Enumerable.Range(1, keys.Length - 1).Average(i => (keys[i] - 0.5) * (keys[i - 1] - 0.5)) * 12;
        Assert.InRange(lag, -0.02, 0.02);
    }

    [Fact]
    public void A_column_missing_in_the_first_chunks_takes_the_kind_of_its_later_cells()
    {
        var text = new StringBuilder("x,y\n");
        for (int r = 0; r < 300; r++) text.Append(r < 200 ? "" : "t" + (r % 3)).Append(',').Append(r).Append('\n');
        string path = Files.Write("late.csv", text.ToString());
        var sample = new TableSample(path, 1_000_000);
        long row = 0;
        foreach (Table chunk in Table.ReadChunks(path, rowsPerChunk: 100))
        {
            for (int r = 0; r < chunk.RowCount; r++, row++) sample.Offer(chunk, r, TableSample.Key(1, row), NoText);
        }
        TableColumn x = sample.ToTable().Find("x")!;
        Assert.False(x.IsNumeric);
        Assert.Equal(200, x.MissingCount);
        Assert.Equal(["t0", "t1", "t2"], x.Levels.Order());
    }
}
