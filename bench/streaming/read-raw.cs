#:package Sep
#:package Parquet.Net
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// Raw read throughput of a data set from make-data.cs: what any streaming reader pays before doing anything with the rows.
// Usage: dotnet run -c Release bench/streaming/read-raw.cs -- MODE PATH
//   sep:          Sep, one thread: every row; numeric columns (x*) parsed to double (empty = missing), every other cell
//                 hashed (FNV-1a); nothing stored.
//   sep-parallel: the same through Sep's ParallelEnumerate (parsing spread over the cores, rows in order).
//   parquet:      Parquet.Net: every row group, every column read into a fresh array (double? or string), numbers
//                 summed; nothing kept. A third argument, numbers or words, reads only those columns.
// Prints seconds (wall, from opening the file to the last row), CPU seconds, MB/s (file bytes / s, MB = 10^6 bytes),
// rows/s and the process's peak working set. Run each measurement in its own process.
using System.Diagnostics;
using System.Globalization;
using nietras.SeparatedValues;
using Parquet;
using Parquet.Schema;

if (args.Length is < 2 or > 3) { Console.Error.WriteLine("Usage: read-raw.cs sep|sep-parallel|parquet PATH [numbers|words]"); return 2; }
string mode = args[0], path = args[1];
string only = args.Length > 2 ? args[2] : "all"; // parquet only: read just the number (x*) or just the word columns
long bytes = new FileInfo(path).Length;
var process = Process.GetCurrentProcess();
TimeSpan cpuBefore = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
long rows = 0, missing = 0;
double sum = 0;
int hash = 0;

switch (mode)
{
    case "sep":
    {
        using SepReader reader = Sep.Reader(o => o with { DisableColCountCheck = false }).FromFile(path);
        bool[] numeric = [.. reader.Header.ColNames.Select(n => n.StartsWith('x'))];
        foreach (SepReader.Row row in reader)
        {
            for (int c = 0; c < numeric.Length; c++)
            {
                SepReader.Col col = row[c];
                if (numeric[c])
                {
                    if (col.Span.IsEmpty) missing++;
                    else sum += col.Parse<double>();
                }
                else hash ^= Fnv(col.Span);
            }
            rows++;
        }
        break;
    }
    case "sep-parallel":
    {
        using SepReader reader = Sep.Reader().FromFile(path);
        bool[] numeric = [.. reader.Header.ColNames.Select(n => n.StartsWith('x'))];
        foreach ((double s, int m, int h) in reader.ParallelEnumerate(row =>
        {
            double s = 0;
            int m = 0, h = 0;
            for (int c = 0; c < numeric.Length; c++)
            {
                SepReader.Col col = row[c];
                if (numeric[c])
                {
                    if (col.Span.IsEmpty) m++;
                    else s += col.Parse<double>();
                }
                else h ^= Fnv(col.Span);
            }
            return (s, m, h);
        }))
        {
            sum += s;
            missing += m;
            hash ^= h;
            rows++;
        }
        break;
    }
    case "parquet":
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        DataField[] fields = reader.Schema.DataFields;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            foreach (DataField field in fields)
            {
                bool number = field.ClrType == typeof(double);
                if ((only == "numbers" && !number) || (only == "words" && number)) continue;
                if (number)
                {
                    var values = new double?[count];
                    await group.ReadAsync<double>(field, values);
                    foreach (double? v in values)
                    {
                        if (v is double d) sum += d;
                        else missing++;
                    }
                }
                else
                {
                    var values = new string[count];
                    await group.ReadAsync(field, values);
                    hash ^= Fnv(values[^1]);
                }
            }
            rows += count;
        }
        break;
    }
    default:
        Console.Error.WriteLine($"Unknown mode '{mode}': sep, sep-parallel or parquet.");
        return 2;
}

double seconds = clock.Elapsed.TotalSeconds;
process.Refresh();
double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{(only == "all" ? mode : mode + "-" + only),-12} {Path.GetFileName(path),-18} {bytes / 1e6,8:F0} MB {rows,12:N0} rows  {seconds,7:F2} s ({cpu:F1} s CPU)  {bytes / 1e6 / seconds,6:F0} MB/s  {rows / seconds / 1e6,5:F2} M rows/s  peak working set {process.PeakWorkingSet64 / 1e6:F0} MB  [missing {missing}, sum {sum:G6}, hash {hash:X8}]"));
return 0;

// FNV-1a over the characters: a fixed hash (string.GetHashCode differs from process to process).
static int Fnv(ReadOnlySpan<char> text)
{
    uint h = 2166136261;
    foreach (char ch in text) h = (h ^ ch) * 16777619;
    return (int)h;
}
