#:package Parquet.Net
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
// Writes a synthetic, learnable tabular classification data set for the streaming-training measurements, without ever
// holding all rows in memory.
// Usage: dotnet run -c Release bench/streaming/make-data.cs -- --out PATH (--rows N | --bytes SIZE) [--seed S]
//   PATH ending in .csv: comma separated, header line; empty cell = missing.
//   PATH ending in .parquet: Parquet.Net, snappy, row groups of 131,072 rows; numbers nullable double, words strings.
//   --bytes SIZE (CSV only; 1GB = 10^9 bytes, also KB, MB, GiB, MiB): stop after the row that takes the file to SIZE.
//   The program prints the row count; give it as --rows to the Parquet run to get the same rows.
// Columns: x0..x11 numbers rounded to 4 decimals (x2 Student t with 3 degrees of freedom, x9 lognormal and x11 t with
// 2 degrees of freedom are heavy-tailed; x3 and x7 are each missing in ~1% of rows), c0..c3 words (5, 12, 30 and 3
// levels; c2 Zipf-like, c3 unbalanced), label: low / mid / high.
// The label is one fixed function of the features, the same for every seed: thresholds on a score that adds a linear
// projection, an x4·x6 product, sin of x5, |x10|, an x8 slope whose sign depends on c1, and offsets for c0 and c2; then
// 10% of the labels are replaced by one of the two other classes (so no model can beat ~90% accuracy).
// Rows come in blocks of 131,072, block k from a generator seeded by (seed, k): a file is a prefix of every longer file
// of the same seed, and another seed gives a held-out set from the same distribution.
// MAKE_DATA_CALIBRATE=N (environment) prints the score's 1/3 and 2/3 quantiles on N rows instead (how Low and High were set).
using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

const int Block = 131_072;
string? output = null;
long rows = -1, bytes = -1;
ulong seed = 1;
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--out": output = Value(); break;
        case "--rows": rows = long.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--bytes": bytes = ParseSize(Value()); break;
        case "--seed": seed = ulong.Parse(Value(), CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: --out PATH (--rows N | --bytes SIZE) [--seed S]");
    }
}
if (Environment.GetEnvironmentVariable("MAKE_DATA_CALIBRATE") is string calibrate)
{
    // prints the 1/3 and 2/3 quantiles of the score on N rows of seed 1 (used to set Low and High)
    var scores = Generator.Scores(int.Parse(calibrate, CultureInfo.InvariantCulture));
    Array.Sort(scores);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1/3: {scores[scores.Length / 3]:F4}  2/3: {scores[2 * scores.Length / 3]:F4}  sd: {Math.Sqrt(scores.Select(s => s * s).Average() - Math.Pow(scores.Average(), 2)):F3}"));
    return 0;
}
if (output is null || (rows < 0) == (bytes < 0))
    throw new ArgumentException("Usage: --out PATH (--rows N | --bytes SIZE) [--seed S]");
bool csv = output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
if (!csv && !output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
    throw new ArgumentException("The output must end in .csv or .parquet.");
if (!csv && bytes >= 0) throw new ArgumentException("--bytes is for CSV only: give the CSV's row count as --rows.");

var clock = Stopwatch.StartNew();
long written = 0;
var classCounts = new long[3];
// Blocks are made on the thread pool, up to 3 ahead, and written in order.
var pending = new Queue<Task<Chunk>>();
long nextBlock = 0;
bool More() => bytes >= 0 || nextBlock * Block < rows;
void Fill()
{
    while (pending.Count < 3 && More())
    {
        long k = nextBlock++;
        int count = bytes >= 0 ? Block : (int)Math.Min(Block, rows - k * Block);
        pending.Enqueue(Task.Run(() => Generator.Make(seed, k, count, csv)));
    }
}

if (csv)
{
    using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    byte[] header = Encoding.ASCII.GetBytes(string.Join(",", Generator.Names) + "\n");
    file.Write(header);
    long size = header.Length;
    bool done = false;
    Fill();
    while (!done && pending.Count > 0)
    {
        Chunk chunk = await pending.Dequeue();
        int take = chunk.Count;
        if (bytes >= 0)
        {
            // the first row whose end reaches the target is the last one
            for (int r = 0; r < chunk.Count; r++)
            {
                if (size + chunk.RowEnds[r] >= bytes) { take = r + 1; done = true; break; }
            }
        }
        int end = take == 0 ? 0 : chunk.RowEnds[take - 1];
        file.Write(chunk.Text, 0, end);
        size += end;
        written += take;
        for (int r = 0; r < take; r++) classCounts[chunk.Label[r]]++;
        if (!done) Fill();
    }
    // let blocks made ahead finish before exit
    foreach (var task in pending) await task;
}
else
{
    var fields = new DataField[Generator.Names.Length];
    for (int c = 0; c < fields.Length; c++)
        fields[c] = c < Generator.Numbers ? new DataField<double?>(Generator.Names[c]) : new DataField<string>(Generator.Names[c]);
    using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
    await using (ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, options))
    {
        Fill();
        while (pending.Count > 0)
        {
            Chunk chunk = await pending.Dequeue();
            Fill();
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            for (int c = 0; c < Generator.Numbers; c++)
                await group.WriteAsync<double>(fields[c], new ReadOnlyMemory<double?>(chunk.Num[c], 0, chunk.Count));
            for (int c = 0; c < Generator.Words.Length; c++)
                await group.WriteAsync(fields[Generator.Numbers + c], new ArraySegment<string>(chunk.Cat[c], 0, chunk.Count));
            await group.WriteAsync(fields[^1], new ArraySegment<string>(chunk.LabelText, 0, chunk.Count));
            written += chunk.Count;
            for (int r = 0; r < chunk.Count; r++) classCounts[chunk.Label[r]]++;
        }
    }
}
long fileBytes = new FileInfo(output).Length;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{output}: {written:N0} rows, {fileBytes:N0} bytes, seed {seed}, {clock.Elapsed.TotalSeconds:F1} s; classes low {classCounts[0] / (double)written:P1}, mid {classCounts[1] / (double)written:P1}, high {classCounts[2] / (double)written:P1}"));
return 0;

static long ParseSize(string text)
{
    string t = text.Trim().ToUpperInvariant();
    (string suffix, long unit)[] units = [("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)];
    foreach (var (suffix, unit) in units)
    {
        if (t.EndsWith(suffix, StringComparison.Ordinal))
            return (long)(double.Parse(t[..^suffix.Length], CultureInfo.InvariantCulture) * unit);
    }
    return long.Parse(t, CultureInfo.InvariantCulture);
}

sealed class Chunk
{
    public required int Count;
    public required double?[][] Num;
    public required string[][] Cat;
    public required byte[] Label;
    public required string[] LabelText;
    public byte[] Text = [];
    public int[] RowEnds = [];
}

static class Generator
{
    public const int Numbers = 12;
    public static readonly string[][] Words =
    [
        ["red", "green", "blue", "amber", "violet"],
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike",
         "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee",
         "zulu", "amsterdam", "baltimore", "casablanca", "denmark"],
        ["small", "medium", "large"],
    ];
    public static readonly string[] Classes = ["low", "mid", "high"];
    public static readonly string[] Names =
        [.. Enumerable.Range(0, Numbers).Select(c => $"x{c}"), .. Enumerable.Range(0, Words.Length).Select(c => $"c{c}"), "label"];
    static readonly byte[][][] WordBytes = [.. Words.Select(w => w.Select(Encoding.ASCII.GetBytes).ToArray())];
    static readonly byte[][] ClassBytes = [.. Classes.Select(Encoding.ASCII.GetBytes)];

    // Fixed parts of the function (the same for every seed).
    static readonly double[] C0Offset = [-0.7, -0.25, 0.0, 0.3, 0.65];
    static readonly double[] C2Offset = MakeC2Offsets();
    static readonly double[] C2Cumulative = Cumulative(Enumerable.Range(0, 30).Select(k => 1 / Math.Pow(k + 1, 0.8)).ToArray());
    static readonly double[] C3Cumulative = Cumulative([0.5, 0.3, 0.2]);
    // The 1/3 and 2/3 quantiles of the score (measured on 2M rows).
    const double Low = -0.8754, High = 0.8182;

    static double[] MakeC2Offsets()
    {
        var rng = new Rng(0xC2, 0);
        return [.. Enumerable.Range(0, 30).Select(_ => 0.4 * (rng.NextDouble() - 0.5))];
    }

    static double[] Cumulative(double[] weights)
    {
        double sum = weights.Sum(), run = 0;
        return [.. weights.Select(w => run += w / sum)];
    }

    static int Pick(double[] cumulative, double u)
    {
        for (int k = 0; k < cumulative.Length - 1; k++)
            if (u < cumulative[k]) return k;
        return cumulative.Length - 1;
    }

    static double R4(double v)
    {
        double r = Math.Round(v, 4, MidpointRounding.AwayFromZero);
        return r + 0.0; // no -0
    }

    public static double Score(double x0, double x1, double x2, double? x3, double x4, double x5, double x6, double? x7,
        double x8, double x9, double x10, double x11, int c0, int c1, int c2)
    {
        double x1s = (x1 - 1) / 2, x5s = (x5 + 3) / 10, x10s = (x10 - 100) / 15;
        double linear = 0.8 * x0 - 0.6 * x1s + 0.5 * Math.Tanh(x2) + 0.3 * (x3 ?? 0) - 0.25 * (x7 ?? 0)
            + 0.2 * Math.Log(x9) + 0.1 * Math.Tanh(x11);
        double nonlinear = 1.0 * x4 * x6 + 0.8 * Math.Sin(2 * x5s) + (c1 < 6 ? 0.9 : -0.9) * x8 + 0.6 * (Math.Abs(x10s) - 0.8);
        return linear + nonlinear + C0Offset[c0] + C2Offset[c2];
    }

    public static double[] Scores(int count)
    {
        var scores = new double[count];
        Make(1, 0, count, false, scores);
        return scores;
    }

    public static Chunk Make(ulong seed, long block, int count, bool text, double[]? scores = null)
    {
        var rng = new Rng(seed, (ulong)block);
        var num = new double?[Numbers][];
        for (int c = 0; c < Numbers; c++) num[c] = new double?[count];
        var cat = new string[Words.Length][];
        var catIndex = new byte[Words.Length][];
        for (int c = 0; c < Words.Length; c++) { cat[c] = new string[count]; catIndex[c] = new byte[count]; }
        var label = new byte[count];
        var labelText = new string[count];
        for (int r = 0; r < count; r++)
        {
            double n0 = rng.Normal(), n1 = rng.Normal(), n2 = rng.Normal(), n3 = rng.Normal(), n4 = rng.Normal(), n5 = rng.Normal();
            double n6 = rng.Normal(), n7 = rng.Normal(), n8 = rng.Normal(), n9 = rng.Normal(), n10 = rng.Normal(), n11 = rng.Normal();
            double chi3 = Square(rng.Normal()) + Square(rng.Normal()) + Square(rng.Normal());
            double chi2 = -2 * Math.Log(1 - rng.NextDouble());
            double x0 = R4(n0);
            double x1 = R4(2 * n1 + 1);
            double x2 = R4(n2 / Math.Sqrt(chi3 / 3));
            double? x3 = rng.NextDouble() < 0.01 ? null : R4(0.5 * n0 + 0.866 * n3);
            double x4 = R4(n4);
            double x5 = R4(10 * n5 - 3);
            double x6 = R4(n6);
            double? x7 = rng.NextDouble() < 0.01 ? null : R4(0.7 * n7 + 0.3 * n1);
            double x8 = R4(n8);
            double x9 = R4(Math.Exp(0.75 * n9));
            double x10 = R4(100 + 15 * n10);
            double x11 = R4(n11 / Math.Sqrt(chi2 / 2));
            int c0 = (int)(rng.NextDouble() * 5), c1 = (int)(rng.NextDouble() * 12);
            int c2 = Pick(C2Cumulative, rng.NextDouble()), c3 = Pick(C3Cumulative, rng.NextDouble());
            double score = Score(x0, x1, x2, x3, x4, x5, x6, x7, x8, Math.Max(x9, 1e-4), x10, x11, c0, c1, c2);
            if (scores is not null) scores[r] = score;
            int y = score < Low ? 0 : score < High ? 1 : 2;
            if (rng.NextDouble() < 0.10) y = (y + (rng.NextDouble() < 0.5 ? 1 : 2)) % 3;
            num[0][r] = x0; num[1][r] = x1; num[2][r] = x2; num[3][r] = x3; num[4][r] = x4; num[5][r] = x5;
            num[6][r] = x6; num[7][r] = x7; num[8][r] = x8; num[9][r] = x9; num[10][r] = x10; num[11][r] = x11;
            catIndex[0][r] = (byte)c0; catIndex[1][r] = (byte)c1; catIndex[2][r] = (byte)c2; catIndex[3][r] = (byte)c3;
            cat[0][r] = Words[0][c0]; cat[1][r] = Words[1][c1]; cat[2][r] = Words[2][c2]; cat[3][r] = Words[3][c3];
            label[r] = (byte)y;
            labelText[r] = Classes[y];
        }
        var chunk = new Chunk { Count = count, Num = num, Cat = cat, Label = label, LabelText = labelText };
        if (text) Format(chunk, catIndex);
        return chunk;
    }

    static double Square(double v) => v * v;

    static void Format(Chunk chunk, byte[][] catIndex)
    {
        var buffer = new byte[chunk.Count * 200 + 1024];
        var ends = new int[chunk.Count];
        int at = 0;
        var f4 = new System.Buffers.StandardFormat('F', 4);
        for (int r = 0; r < chunk.Count; r++)
        {
            if (buffer.Length - at < 1024) Array.Resize(ref buffer, buffer.Length * 2);
            for (int c = 0; c < Numbers; c++)
            {
                double? v = chunk.Num[c][r];
                if (v is double d)
                {
                    if (!Utf8Formatter.TryFormat(d, buffer.AsSpan(at), out int n, f4)) throw new InvalidOperationException();
                    at += n;
                }
                buffer[at++] = (byte)',';
            }
            for (int c = 0; c < Words.Length; c++)
            {
                byte[] w = WordBytes[c][catIndex[c][r]];
                w.CopyTo(buffer, at);
                at += w.Length;
                buffer[at++] = (byte)',';
            }
            byte[] l = ClassBytes[chunk.Label[r]];
            l.CopyTo(buffer, at);
            at += l.Length;
            buffer[at++] = (byte)'\n';
            ends[r] = at;
        }
        chunk.Text = buffer;
        chunk.RowEnds = ends;
    }
}

// xoshiro256** seeded by SplitMix64 from (seed, stream): fixed across .NET versions, unlike System.Random's algorithms.
struct Rng
{
    ulong s0, s1, s2, s3;
    double spare;
    bool hasSpare;

    public Rng(ulong seed, ulong stream)
    {
        ulong x = seed * 0x9E3779B97F4A7C15UL ^ (stream + 1) * 0xD1B54A32D192ED03UL;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
        spare = 0; hasSpare = false;
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9, t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public double Normal()
    {
        if (hasSpare) { hasSpare = false; return spare; }
        double u1 = 1 - NextDouble(), u2 = NextDouble();
        double radius = Math.Sqrt(-2 * Math.Log(u1)), angle = 2 * Math.PI * u2;
        spare = radius * Math.Sin(angle);
        hasSpare = true;
        return radius * Math.Cos(angle);
    }
}
