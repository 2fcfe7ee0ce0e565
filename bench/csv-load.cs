#:project ../src/Backprop/Backprop.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// Measures how long reading a large numeric CSV takes and how much memory it needs.
// Usage: dotnet run -c Release bench/csv-load.cs [rows] [columns] [mixed]
// With "mixed", every other feature column holds one of 8 words instead of a number (one-hot encoded).
// Wall time depends on what else runs on the machine; CPU time much less so (a GC thread can add to it).
// Writes the file first if it does not exist (rows × columns random numbers, last column a class 0..2).
using System.Diagnostics;
using System.Globalization;
using Backprop.Data;
using Backprop.Preprocessing;

int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
int columns = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
bool mixed = args.Length > 2 && args[2] == "mixed";
string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
string path = Path.Combine(Path.GetTempPath(), $"backprop-bench-{rows}x{columns}{(mixed ? "-mixed" : "")}.csv");
if (!File.Exists(path))
{
    var random = new Random(1);
    using var writer = new StreamWriter(path);
    writer.WriteLine(string.Join(",", Enumerable.Range(0, columns - 1).Select(c => $"x{c}").Append("label")));
    var line = new System.Text.StringBuilder();
    for (int r = 0; r < rows; r++)
    {
        line.Clear();
        for (int c = 0; c < columns - 1; c++)
        {
            line.Append(mixed && c % 2 == 1 ? words[random.Next(words.Length)] : (random.NextDouble() * 100 - 50).ToString("F4", CultureInfo.InvariantCulture)).Append(',');
        }
        line.Append(random.Next(3));
        writer.WriteLine(line);
    }
}
Console.WriteLine($"file: {path} ({new FileInfo(path).Length / 1e6:F1} MB, {rows:N0} rows × {columns} columns)");
GC.Collect();
var process = Process.GetCurrentProcess();
TimeSpan cpuBefore = process.TotalProcessorTime;
long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var clock = Stopwatch.StartNew();
Table table = Table.Read(path);
double readSeconds = clock.Elapsed.TotalSeconds;
process.Refresh();
double readCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
long allocatedRead = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
long retainedRead = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"read:        {readSeconds:F2} s wall ({readCpu:F2} s CPU), allocated {allocatedRead / 1e6:F0} MB, retained {retainedRead / 1e6:F0} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
clock.Restart();
var preprocessor = TabularPreprocessor.Fit(table, new TabularOptions());
double fitSeconds = clock.Elapsed.TotalSeconds;
var data = preprocessor.Transform<float>(table);
double prepSeconds = clock.Elapsed.TotalSeconds;
process.Refresh();
double allCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
long allocatedAll = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
Console.WriteLine($"fit {fitSeconds:F2} s + transform to float32 {prepSeconds - fitSeconds:F2} s wall ({allCpu - readCpu:F2} s CPU), allocated in all {allocatedAll / 1e6:F0} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
if (!mixed) Console.WriteLine($"data's own size: {(long)rows * columns * 8 / 1e6:F0} MB as float64, {(long)rows * columns * 4 / 1e6:F0} MB as float32");
Console.WriteLine($"dataset {data.Count:N0} × {data.FeatureCount}, classes {string.Join(",", data.ClassNames!)}");
