#:project ../src/Backprop/Backprop.csproj
#:package ParquetSharp
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// Reading the same table from CSV and from Parquet, and the Parquet libraries' raw column reads, for docs/data.md.
// Usage: dotnet run -c Release bench/parquet-read.cs MODE [rows] [columns]
//   MODE: csv (Backprop's Table.Read of the CSV file), parquet (Table.Read of the Parquet file), parquet-net (Parquet.Net's
//   column reads alone, into arrays), parquet-sharp (ParquetSharp's, Apache Arrow's C++ reader, native).
// Run each mode in its own process: the peak working set is the process's. Writes the two files first if they are missing:
// rows × columns, every 4th feature a word of 8 (a category), the others numbers with 4 decimals, the last column a class 0..2;
// the Parquet file by Parquet.Net, snappy, row groups of 131,072 rows, numbers as doubles.
using System.Diagnostics;
using System.Globalization;
using Backprop.Data;
using Parquet;
using Parquet.Schema;

string mode = args.Length > 0 ? args[0] : "parquet";
int rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
int columns = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
string stem = Path.Combine(Path.GetTempPath(), $"backprop-bench-{rows}x{columns}-typed");
string csvPath = stem + ".csv", parquetPath = stem + ".parquet";
bool IsWord(int c) => c % 4 == 3 && c < columns - 1;
if (!File.Exists(csvPath) || !File.Exists(parquetPath))
{
    var random = new Random(1);
    var numbers = new double[columns][];
    var text = new string[columns][];
    for (int c = 0; c < columns; c++)
    {
        if (IsWord(c)) text[c] = new string[rows];
        else numbers[c] = new double[rows];
    }
    for (int r = 0; r < rows; r++)
    {
        for (int c = 0; c < columns; c++)
        {
            if (IsWord(c)) text[c][r] = words[random.Next(words.Length)];
            else numbers[c][r] = c == columns - 1 ? random.Next(3) : Math.Round(random.NextDouble() * 100 - 50, 4);
        }
    }
    string Name(int c) => c == columns - 1 ? "label" : $"x{c}";
    using (var writer = new StreamWriter(csvPath))
    {
        writer.WriteLine(string.Join(",", Enumerable.Range(0, columns).Select(Name)));
        var line = new System.Text.StringBuilder();
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            for (int c = 0; c < columns; c++)
            {
                if (c > 0) line.Append(',');
                line.Append(IsWord(c) ? text[c][r] : numbers[c][r].ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line);
        }
    }
    var fields = Enumerable.Range(0, columns).Select(c => IsWord(c) ? (DataField)new DataField<string>(Name(c)) : new DataField<double>(Name(c))).ToArray();
    using (var stream = File.Create(parquetPath))
    {
        await using ParquetWriter parquet = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (int start = 0; start < rows; start += 131_072)
        {
            int count = Math.Min(131_072, rows - start);
            using ParquetRowGroupWriter group = parquet.CreateRowGroup();
            for (int c = 0; c < columns; c++)
            {
                if (IsWord(c)) await group.WriteAsync(fields[c], new ArraySegment<string>(text[c], start, count));
                else await group.WriteAsync<double>(fields[c], numbers[c].AsMemory(start, count));
            }
        }
    }
}
long bytes = new FileInfo(mode == "csv" ? csvPath : parquetPath).Length;
GC.Collect();
var process = Process.GetCurrentProcess();
TimeSpan cpuBefore = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
long cells = 0;
switch (mode)
{
    case "csv":
        cells = (long)Table.Read(csvPath).RowCount * columns;
        break;
    case "parquet":
        cells = (long)Table.Read(parquetPath).RowCount * columns;
        break;
    case "parquet-net":
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(parquetPath);
        DataField[] fields = reader.Schema.DataFields;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            foreach (DataField field in fields)
            {
                if (field.ClrType == typeof(double)) await group.ReadAsync<double>(field, new double[count]);
                else await group.ReadAsync(field, new string?[count]);
                cells += count;
            }
        }
        break;
    }
    case "parquet-sharp":
    {
        using var reader = new ParquetSharp.ParquetFileReader(parquetPath);
        for (int g = 0; g < reader.FileMetaData.NumRowGroups; g++)
        {
            using ParquetSharp.RowGroupReader group = reader.RowGroup(g);
            int count = (int)group.MetaData.NumRows;
            for (int c = 0; c < columns; c++)
            {
                using ParquetSharp.ColumnReader column = group.Column(c);
                if (IsWord(c)) column.LogicalReader<string>().ReadAll(count);
                else column.LogicalReader<double>().ReadAll(count);
                cells += count;
            }
        }
        break;
    }
    default:
        throw new ArgumentException($"Unknown mode '{mode}': csv, parquet, parquet-net or parquet-sharp.");
}
double seconds = clock.Elapsed.TotalSeconds;
process.Refresh();
double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode,-14} {bytes / 1e6,7:F1} MB  {seconds,6:F2} s ({cpu:F2} s CPU)  {bytes / 1e6 / seconds,7:F0} MB/s  {cells / columns / seconds / 1e6,5:F2} M rows/s  peak working set {process.PeakWorkingSet64 / 1e6:F0} MB"));
