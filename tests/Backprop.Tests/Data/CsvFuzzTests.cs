using System.Diagnostics;
using System.Text;
using Backprop.Data;
using Backprop.Preprocessing;
using Backprop.Tensors;
using Xunit.Abstractions;

namespace Backprop.Tests.Data;

/// <summary>
/// Deterministic, seeded mutation fuzzing of the CSV loader and the preprocessing behind it: every input must be read, fitted and
/// transformed, or fail with a one-line <see cref="BackpropException"/>; never another exception, a hang, or an allocation
/// larger than a bound derived from its size.
/// </summary>
public class CsvFuzzTests(ITestOutputHelper output)
{
    // Fixed cost (the reader's 64 KiB byte and char buffers, Sep's buffers, the preprocessing's small arrays) plus a multiple of
    // the input. The multiple is set by the worst shape, many short columns: each costs about a kilobyte (its object, lists and
    // dictionary, its state in the preprocessor, twice since the file is read twice) for a few bytes of header and cells.
    // Before ChunkedList started small, a one-row file cost half a megabyte per column: 1 GB a read for the 19 KB "2,000 columns" input.
    private const long AllocationBase = 1 << 20;
    private const long AllocationPerByte = 512;

    // Generous: an input takes well under a millisecond; this only catches a loop that never ends, on a shared, busy machine.
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(20);

    private static int Scale => Fuzzing.Scale;

    /// <summary>
    /// Valid files covering what the loader accepts: quotes, line breaks in quotes, BOM, CRLF, categories, missing cells, decimal
    /// commas (Excel's ';' files), columns aligned with runs of spaces.
    /// </summary>
    internal static readonly byte[][] Seeds =
    [
        Utf8("sepal,petal,width,species\r\n5.1,3.5,1.4,setosa\r\n4.9,3.0,1.4,setosa\r\n6.3,3.3,6.0,virginica\r\n5.8,2.7,5.1,virginica\r\n7.0,3.2,4.7,versicolor\r\n6.4,3.2,4.5,versicolor\r\n"),
        [.. Encoding.UTF8.GetPreamble(), .. Utf8("id,\"city, state\",note,size,label\n1,\"Paris, TX\",\"said \"\"hi\"\"\",3.5,yes\n2,\"Lyon\",\"two\nlines\",,no\n3,Paris,,4.0,yes\n4,\"Nice\",plain,2.25,no\n5,Lyon,\"\",NA,yes\n")],
        Utf8("a;b;flag;price\n1,5;2;true;10.5\n2;3;false;12\n3;;true;\n4;4;false;9.75\n5;1;;11\n6;2;true;13.25\n"),
        Utf8("x\ty\tcolor\ttarget\n0.1\t-2e3\tred\t1\n0.2\t1E-2\tblue\t0\n\n0.3\t \tgreen\t1\n0.4\t7\t\"red\"\t0\n"),
        Utf8("é,ü|ñ\"x\"\n"), // header only, odd quoting, non-ASCII: a seed that is refused, whose mutations may not be
        [.. Encoding.UTF8.GetPreamble(), .. Utf8("crim;nox;rm;chas;medv\r\n0,00632;0,538;6,575;0;24\r\n0,02731;0,469;6,421;0;21,6\r\n"
            + "0,02729;0,469;7,185;0;34,7\r\nNA;0,458;6,998;1;33,4\r\n-0,5;0,458;7,147;1;36,2\r\n1,5E-3;0,524;6,012;0;22,9\r\n")],
        Utf8("  OBS   GPA  TUCE  PSI  GRADE\n    1  2.66    20    0      0\n    2  2.89    22    0      0\n    3  3.28    24    0      1\n"
            + "   4  \"4.00\"  21 \t 0  1\n    5  2.86    17    1      0\n\n    6  2.76    17    1      1  \n"),
    ];

    // Options given rather than detected: the delimiters and decimal separator that detection never chooses for some files.
    private static readonly CsvReadOptions[] GivenOptions =
    [
        new(Delimiter: CsvReadOptions.Whitespace), new(Delimiter: ' '), new(Decimal: ','), new(Delimiter: '\t', Decimal: ','), new(Decimal: '.'),
    ];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // Bytes inserted at random places: structure (quotes, delimiters, line breaks), NUL, invalid UTF-8 (a lone continuation byte,
    // a truncated sequence, an encoded surrogate, an overlong form), a BOM in the middle, values that are not finite numbers.
    private static readonly byte[][] Insertions =
    [
        [(byte)'"'], [(byte)','], [(byte)';'], [(byte)'\t'], [(byte)'|'], [(byte)'\n'], [(byte)'\r'], [0], [0x80], [0xC3], [0xFF],
        [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xEF, 0xBB, 0xBF], Utf8("NaN"), Utf8("Infinity"), Utf8("1e999"), Utf8("-"), Utf8("\"\""),
        Utf8("\",\""), Utf8("true"), Utf8(" "), Utf8("\r\n"), Utf8("\"\n"), Utf8("0,5"), Utf8(";1,5"), Utf8("2.5"), Utf8("   "), Utf8(" \t "),
    ];

    private sealed class Outcomes
    {
        public int Succeeded, Refused;
        public long MaxAllocated, MaxAllocatedInputLength;
        public readonly HashSet<string> Messages = [];
        public volatile string Current = "";
        public long CurrentStarted;
    }

    /// <summary>
    /// Reads <paramref name="file"/> as a training file (fit on it, transform it) and as a file to predict on (read with the fitted
    /// preprocessor's options, transform its features); fails on anything but success or a one-line <see cref="BackpropException"/>.
    /// </summary>
    private static void Check(byte[] file, string mutation, Outcomes outcomes, CsvReadOptions? options = null, bool measure = true)
    {
        outcomes.Current = mutation;
        Interlocked.Exchange(ref outcomes.CurrentStarted, Stopwatch.GetTimestamp());
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Stream Open() => new MemoryStream(file, writable: false);
            Table table = Table.Read(Open, "fuzz.csv", options);
            TabularPreprocessor preprocessor = TabularPreprocessor.Fit(table);
            preprocessor.Transform<float>(table);
            Table again = Table.Read(Open, "fuzz.csv", preprocessor.ReadOptions() with
            {
                Delimiter = options?.Delimiter,
                Decimal = options?.Decimal,
                MaxColumns = options?.MaxColumns ?? 65_536,
                MaxRowLength = options?.MaxRowLength ?? 4 << 20,
            });
            preprocessor.TransformFeatures<double>(again, warnings: new List<string>());
            outcomes.Succeeded++;
        }
        catch (BackpropException ex)
        {
            outcomes.Refused++;
            Assert.False(ex.Message.Contains('\n'), $"{mutation}: multi-line message {ex.Message}");
            outcomes.Messages.Add(ex.Message.Length > 60 ? ex.Message[..60] : ex.Message);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{mutation}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (!measure) return;
        if (allocated > outcomes.MaxAllocated)
        {
            outcomes.MaxAllocated = allocated;
            outcomes.MaxAllocatedInputLength = file.Length;
        }
        Assert.True(allocated <= AllocationBase + AllocationPerByte * file.Length, $"{mutation}: allocated {allocated:N0} bytes for a {file.Length}-byte input");
    }

    [Fact]
    public void Every_mutation_is_read_or_fails_with_a_BackpropException()
    {
        // Fixed seed in dotnet test; a longer run draws a fresh one (printed, and the failing mutation is named, to reproduce).
        ulong seed = Fuzzing.Seed(2026UL);
        output.WriteLine($"seed {seed}, scale {Scale}");
        var outcomes = new Outcomes();
        var stopwatch = Stopwatch.StartNew();
        RunWithWatchdog(() => Mutate(seed, outcomes), outcomes);

        int total = outcomes.Succeeded + outcomes.Refused;
        output.WriteLine($"{total:N0} inputs in {stopwatch.Elapsed.TotalSeconds:F2} s: {outcomes.Succeeded:N0} read, {outcomes.Refused:N0} refused, "
            + $"{outcomes.Messages.Count} distinct messages; largest allocation {outcomes.MaxAllocated:N0} bytes for a {outcomes.MaxAllocatedInputLength:N0}-byte input");
        foreach (string message in outcomes.Messages.Order().Take(40)) output.WriteLine("  " + message);
        // Both outcomes must be common, or the mutations are not exercising the loader.
        Assert.True(outcomes.Succeeded > 500, $"only {outcomes.Succeeded} inputs were read: the mutations destroy every file");
        Assert.True(outcomes.Refused > 2000, $"only {outcomes.Refused} inputs were refused: the mutations are not reaching the checks");
    }

    /// <summary>Runs <paramref name="fuzz"/> on its own thread and fails when one input runs longer than <see cref="HangBound"/>.</summary>
    private static void RunWithWatchdog(Action fuzz, Outcomes outcomes)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { fuzz(); }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 16 << 20) { IsBackground = true, Name = "csv fuzz" };
        Interlocked.Exchange(ref outcomes.CurrentStarted, Stopwatch.GetTimestamp());
        thread.Start();
        while (!thread.Join(200))
        {
            TimeSpan running = Stopwatch.GetElapsedTime(Interlocked.Read(ref outcomes.CurrentStarted));
            Assert.True(running < HangBound, $"{outcomes.Current}: still running after {running.TotalSeconds:F0} s (a hang?)");
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    private static void Mutate(ulong seed, Outcomes outcomes)
    {
        var rng = new Rng(seed);
        // A first pass warms up: the first call of each path allocates for the runtime (type loading, JIT), not for the input.
        foreach (byte[] valid in Seeds) Check(valid, "warm-up", new Outcomes(), measure: false);
        foreach (CsvReadOptions given in GivenOptions) Check(Seeds[^1], "warm-up", new Outcomes(), given, measure: false);
        for (int s = 0; s < Seeds.Length; s++)
        {
            byte[] valid = Seeds[s];
            Check(valid, $"seed file {s}", outcomes);
            // Truncation at every length.
            for (int length = 0; length < valid.Length; length++)
            {
                Check(valid[..length], $"seed {s} truncated to {length}", outcomes);
            }
            // Random bit flips (1 to 4 bits) anywhere.
            for (int i = 0; i < 1000 * Scale; i++)
            {
                byte[] file = Fuzzing.FlipBits(valid, rng, 4);
                Check(file, $"seed {s} bit flip #{i}", outcomes);
            }
            // Inserted structure, NULs, invalid UTF-8 and non-finite values (1 to 3 insertions).
            for (int i = 0; i < 1200 * Scale; i++)
            {
                byte[] file = valid;
                int insertions = 1 + rng.NextInt(3);
                for (int k = 0; k < insertions; k++)
                {
                    byte[] insertion = Insertions[rng.NextInt(Insertions.Length)];
                    int at = rng.NextInt(file.Length + 1);
                    file = [.. file.AsSpan(0, at), .. insertion, .. file.AsSpan(at)];
                }
                Check(file, $"seed {s} insertion #{i}", outcomes);
            }
            // Bit flips read with delimiters and decimal separators given.
            for (int i = 0; i < 100 * Scale; i++)
            {
                CsvReadOptions given = GivenOptions[i % GivenOptions.Length];
                Check(i < GivenOptions.Length ? valid : Fuzzing.FlipBits(valid, rng, 4), $"seed {s} with {given} #{i}", outcomes, given);
            }
            // Structural edits: a field duplicated or dropped, a line duplicated, dropped or moved.
            for (int i = 0; i < 600 * Scale; i++)
            {
                Check(EditStructure(valid, rng), $"seed {s} structural edit #{i}", outcomes);
            }
            // Very long fields: under and over the row bound, and over a small bound given in the options.
            foreach (int length in new[] { 1_000, 100_000, (4 << 20) + 1 })
            {
                Check(ReplaceAField(valid, rng, new string('x', length)), $"seed {s} field of {length:N0} characters", outcomes);
            }
            Check(ReplaceAField(valid, rng, "\"" + new string('y', 5_000)), $"seed {s} unclosed quote", outcomes, new CsvReadOptions(MaxRowLength: 1_000));
        }
        // Huge field counts: a header over the column bound, a data row with far more fields than the header, many columns that fit.
        Check(Utf8(string.Join(",", Enumerable.Range(0, 70_000).Select(c => $"c{c}")) + "\n" + new string(',', 69_999) + "\n"), "70,000 columns", outcomes);
        Check(Utf8("a,b\n1,2\n" + new string(',', 500_000) + "\n3,4\n"), "a row of 500,001 fields", outcomes);
        Check(Utf8(string.Join(",", Enumerable.Range(0, 2_000).Select(c => $"c{c}")) + "\n" + string.Join(",", Enumerable.Range(0, 2_000).Select(c => c % 3)) + "\n"
            + string.Join(",", Enumerable.Range(0, 2_000).Select(c => (c + 1) % 3)) + "\n"), "2,000 columns", outcomes);
        Check(Utf8("a,b,c\n" + new string(',', 100) + "\n"), "more fields than the column bound", outcomes, new CsvReadOptions(MaxColumns: 2));
        // Many distinct categories (over the one-hot bound) and many classes.
        Check(Utf8("x,cat,y\n" + string.Concat(Enumerable.Range(0, 3_000).Select(r => $"{r},k{r / 2},{r % 7}\n"))), "2,000 categories", outcomes);
        Check(Utf8("x,y\n" + string.Concat(Enumerable.Range(0, 3_000).Select(r => $"{r},c{r / 2}\n"))), "1,500 classes", outcomes);
        // No line break at all, and nothing but line breaks or quotes.
        Check(Utf8("a," + new string('1', 200_000)), "no line break", outcomes);
        Check(Utf8(new string('\n', 100_000)), "only line breaks", outcomes);
        Check(Utf8(new string('"', 100_001)), "only quotes", outcomes);
        Check(Utf8("a,b\n" + new string('"', 100_000) + "\n1,2\n"), "an even run of quotes", outcomes);
    }

    // Cells are found on the bytes of the first line containing the delimiter; good enough to move structure around.
    private static byte[] EditStructure(byte[] valid, Rng rng)
    {
        string text = Encoding.UTF8.GetString(valid);
        var lines = text.Split('\n').ToList();
        int line = rng.NextInt(lines.Count);
        switch (rng.NextInt(5))
        {
            case 0: // duplicate a field within a line
            case 1: // drop a field within a line
            {
                char delimiter = ",;\t|".FirstOrDefault(d => lines[line].Contains(d), ',');
                var fields = lines[line].Split(delimiter).ToList();
                int field = rng.NextInt(fields.Count);
                if (rng.NextInt(2) == 0) fields.Insert(field, fields[field]);
                else if (fields.Count > 1) fields.RemoveAt(field);
                lines[line] = string.Join(delimiter, fields);
                break;
            }
            case 2:
                lines.Insert(line, lines[line]);
                break;
            case 3:
                lines.RemoveAt(line);
                break;
            default:
            {
                string moved = lines[line];
                lines.RemoveAt(line);
                lines.Insert(rng.NextInt(lines.Count + 1), moved);
                break;
            }
        }
        return Utf8(string.Join('\n', lines));
    }

    private static byte[] ReplaceAField(byte[] valid, Rng rng, string replacement)
    {
        string text = Encoding.UTF8.GetString(valid);
        string[] lines = text.Split('\n');
        int line = 1 + rng.NextInt(Math.Max(1, lines.Length - 2));
        if (line >= lines.Length) line = 0;
        char delimiter = ",;\t|".FirstOrDefault(d => lines[line].Contains(d), ',');
        string[] fields = lines[line].Split(delimiter);
        fields[rng.NextInt(fields.Length)] = replacement;
        lines[line] = string.Join(delimiter, fields);
        return Utf8(string.Join('\n', lines));
    }
}
