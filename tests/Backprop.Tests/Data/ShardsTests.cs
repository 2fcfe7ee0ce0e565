using Backprop.Data;
using Backprop.Preprocessing;
using ParquetSharp;

namespace Backprop.Tests.Data;

public sealed class ShardsTests : TempFileTest
{
    private string Folder(string name)
    {
        string path = Path.Combine(Files.Directory, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string Write(string folder, string name, string text)
    {
        string path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_folder_of_shards_reads_as_the_one_file_they_were_cut_from()
    {
        string folder = Folder("shards");
        Write(folder, "part-0.csv", "x,name,y\n1.5,ab,3\n-2,cd,4\n");
        Write(folder, "part-1.csv", "x;name;y\n0;ab;5\n\n7;ef;6\n"); // each shard's own delimiter
        Write(folder, "_SUCCESS", "");
        Write(folder, ".part-0.csv.crc", "junk");
        Write(folder, "README.md", "not data");
        Write(folder, "sub/part-9.csv", "other,columns\n1,2\n"); // a folder's shards are its own files, not its subfolders'
        Table table = Table.Read(folder);
        Table whole = Table.Read(Files.Write("whole.csv", "x,name,y\n1.5,ab,3\n-2,cd,4\n0,ab,5\n7,ef,6\n"));
        Assert.Equal(whole.ColumnNames, table.ColumnNames);
        Assert.Equal([1.5, -2, 0, 7], Enumerable.Range(0, 4).Select(table.Find("x")!.GetNumber));
        Assert.Equal(["ab", "cd", "ef"], table.Find("name")!.Levels);
        Assert.Equal([0, 1, 0, 2], Enumerable.Range(0, 4).Select(table.Find("name")!.GetCode));
        Assert.Equal(folder, table.Source);
        Assert.Equal("2 shards: delimiter ','", table.Format);
        Assert.Equal($"{Path.Combine(folder, "part-0.csv")} line 3", table.LocationOf(1));
        Assert.Equal($"{Path.Combine(folder, "part-1.csv")} line 4", table.LocationOf(3));
    }

    [Fact]
    public void Globs_match_files_in_path_order_across_folders()
    {
        string root = Folder("data");
        Write(root, "year=2024/part-1.csv", "x,y\n3,c\n");
        Write(root, "year=2023/part-1.csv", "x,y\n2,b\n");
        Write(root, "year=2023/part-0.csv", "x,y\n1,a\n");
        Write(root, "year=2023/notes.txt.bak", "x,y\n9,z\n");
        Write(root, "top.csv", "x,y\n0,o\n");
        Assert.Equal(["a", "b", "c"], Table.Read(Path.Combine(root, "*/part-?.csv")).Find("y")!.Levels);
        Assert.Equal(["o", "a", "b", "c"], Table.Read(Path.Combine(root, "**/*.csv")).Find("y")!.Levels);
        Assert.Equal(["a", "b"], Table.Read(Path.Combine(root, "year=2023/*")).Find("y")!.Levels);
    }

    [Fact]
    public void Parquet_and_CSV_shards_mix_and_agree_on_column_kinds()
    {
        string folder = Folder("mixed");
        ApacheParquet.Write(Path.Combine(folder, "a.parquet"), 10, Compression.Snappy,
            ("code", new long[] { 1, 2 }), ("y", new double[] { 0.5, 1.5 }));
        Write(folder, "b.csv", "y,code\n2.5,1.50\n3.5,x9\n"); // columns by name, in any order; 'code' is text here
        Table table = Table.Read(folder);
        Assert.Equal(["code", "y"], table.ColumnNames);
        TableColumn code = table.Find("code")!;
        Assert.False(code.IsNumeric); // text in one shard, so text in all, the CSV spellings kept
        Assert.Equal(["1", "2", "1.50", "x9"], code.Levels);
        Assert.Equal([0.5, 1.5, 2.5, 3.5], Enumerable.Range(0, 4).Select(table.Find("y")!.GetNumber));
        Assert.Equal("2 shards: Parquet and CSV, delimiter ','", table.Format);
        Assert.Equal($"{Path.Combine(folder, "b.csv")} line 3", table.LocationOf(3));
        Assert.Equal($"{Path.Combine(folder, "a.parquet")} row 2", table.LocationOf(1));
    }

    [Fact]
    public void Errors_in_a_shard_name_that_shard()
    {
        string folder = Folder("bad");
        Write(folder, "a.csv", "x,y\n1,2\n3,4\n");
        string b = Write(folder, "b.csv", "x,y\n5,6\nNA,8\n");
        var error = Assert.Throws<BackpropException>(() =>
            TabularPreprocessor.Fit(Table.Read(folder), new TabularOptions(Target: "y", Missing: MissingValueStrategy.Error)));
        Assert.Equal($"Expected no missing values (missing = error). Received: 'NA' in column 'x' at {b} line 3.", error.Message);

        string c = Write(folder, "c.csv", "x,z\n1,2\n");
        Assert.Equal($"Expected the columns of {Path.Combine(folder, "a.csv")} in every shard. Received: {c} with columns x, z (missing y; extra z).",
            Assert.Throws<BackpropException>(() => Table.Read(folder)).Message);
    }

    [Fact]
    public void A_folder_or_glob_without_data_files_says_what_it_found()
    {
        string empty = Folder("empty");
        Assert.Equal($"Expected CSV or Parquet files (.csv, .tsv, .txt, .parquet) in '{empty}'. Received: an empty folder.",
            Assert.Throws<BackpropException>(() => Table.Read(empty)).Message);
        string other = Folder("other");
        Write(other, "a.json", "{}");
        Assert.Equal($"Expected CSV or Parquet files (.csv, .tsv, .txt, .parquet) in '{other}'. Received: a folder of 1 other file (a.json).",
            Assert.Throws<BackpropException>(() => Table.Read(other)).Message);
        string glob = Path.Combine(other, "*.csv");
        Assert.Equal($"Expected CSV or Parquet files (.csv, .tsv, .txt, .parquet) in '{glob}'. Received: no file matches it.",
            Assert.Throws<BackpropException>(() => Table.Read(glob)).Message);
        string missing = Path.Combine(Files.Directory, "nope", "*.csv");
        Assert.Equal($"Expected CSV or Parquet files (.csv, .tsv, .txt, .parquet) in '{missing}'. Received: no folder '{Path.Combine(Files.Directory, "nope")}'.",
            Assert.Throws<BackpropException>(() => Table.Read(missing)).Message);
    }

    [Fact]
    public void Shards_that_write_their_decimals_differently_are_refused()
    {
        string folder = Folder("decimals");
        string a = Write(folder, "a.csv", "x;y\n0,5;1\n"), b = Write(folder, "b.csv", "x;y\n0.5;1\n");
        Assert.Equal($"Expected one decimal separator in every shard. Received: ',' in {a} and '.' in {b}; choose with --decimal.",
            Assert.Throws<BackpropException>(() => Table.Read(folder)).Message);
    }

    [Fact]
    public void The_shards_together_must_fit_in_the_memory_allowed()
    {
        string folder = Folder("big");
        string rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i},{i * 0.5}\n"));
        Write(folder, "a.csv", "x,y\n" + rows);
        Write(folder, "b.csv", "x,y\n" + rows);
        Assert.Equal(10_000, Table.Read(folder, new CsvReadOptions(MaxMemory: 250_000)).RowCount);
        var error = Assert.Throws<TooLargeForMemoryException>(() => Table.Read(folder, new CsvReadOptions(MaxMemory: 150_000)));
        Assert.StartsWith($"Expected data that fits in memory. Received: {Path.Combine(folder, "b.csv")}", error.Message);
    }
}
