using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Backprop.Tests.Cli;

/// <summary>
/// The Release build that README's <c>dotnet run -c Release</c> runs (src/Backprop.Cli/ReadyToRun.targets): every assembly
/// of its output is a component of one composite ReadyToRun image, the generic training code over <c>float</c> runs
/// precompiled from it, and the build prints and saves what the in-process build does, to the byte, with that code as with
/// the JIT's.
/// </summary>
public sealed class ReadyToRunBuildTests(ReadyToRunBuildTests.Build build) : IClassFixture<ReadyToRunBuildTests.Build>, IDisposable
{
    // The ReadyToRun header (the runtime's readytorun.h): "RTR"; the flag of an assembly whose code is in a composite image,
    // and that of an image compiled with more than one assembly in its version bubble.
    private const uint ReadyToRunSignature = 0x00525452;
    private const uint ComponentFlag = 0x20;
    private const uint MultimoduleVersionBubbleFlag = 0x40;

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Every_assembly_of_the_output_is_a_component_of_one_composite_image()
    {
        string folder = await build.Folder;
        string composite = Path.Combine(folder, "backprop.r2r.dll");
        Assert.True(File.Exists(composite), "no composite image backprop.r2r.dll in the output");
        // One version bubble: what lets crossgen2 compile the generic code over float that spans backprop and Backprop.Core.
        Assert.True(ReadyToRunFlags(composite) is { } bubble && (bubble & MultimoduleVersionBubbleFlag) != 0,
            "the composite image is not one version bubble of the app's assemblies");
        string[] assemblies = Directory.GetFiles(folder, "*.dll").Where(path => path != composite && HasMetadata(path))
            .Select(Path.GetFileName).OfType<string>().ToArray();
        Assert.Contains("backprop.dll", assemblies);
        Assert.Contains("Backprop.Core.dll", assemblies);
        Assert.Contains("System.CommandLine.dll", assemblies);
        foreach (string assembly in assemblies)
        {
            uint? flags = ReadyToRunFlags(Path.Combine(folder, assembly));
            Assert.True(flags is { } f && (f & ComponentFlag) != 0, $"{assembly} is not a component of the composite image (flags {flags?.ToString("x") ?? "none: IL only"})");
        }
    }

    [Fact]
    public async Task The_notebook_run_prints_exactly_what_the_in_process_build_prints()
    {
        var (code, output, error) = await build.Run(new Dictionary<string, string>(), "train");
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Equal(CliRunner.Run("train").Output, output);
        Assert.EndsWith("Training Accuracy: 0.98\n", output);
    }

    [Fact]
    public async Task A_csv_file_trains_with_the_generic_code_precompiled_to_the_jits_model_file()
    {
        string data = _files.Write("shapes.csv", NativeAotTests.MixedCsv(180, seed: 3));
        string inProcess = Path.Combine(_files.Directory, "in-process.safetensors");
        var expected = CliRunner.Run("train", "--data", data, "--target", "shape", "--save", inProcess);
        Assert.True(expected.ExitCode == 0, expected.Error);

        // The run lists the methods the JIT compiled; with ReadyToRun turned off, the same run compiles the trainer itself.
        foreach (bool precompiled in (bool[])[true, false])
        {
            string model = Path.Combine(_files.Directory, $"{precompiled}.safetensors");
            string compiled = Path.Combine(_files.Directory, $"{precompiled}.jit.txt");
            var environment = new Dictionary<string, string>
            {
                ["BACKPROP_JIT_PROFILE"] = "0",
                ["DOTNET_JitStdOutFile"] = compiled,
                ["DOTNET_JitDisasmSummary"] = "1",
                ["DOTNET_ReadyToRun"] = precompiled ? "1" : "0",
            };
            var (code, _, error) = await build.Run(environment, "train", "--data", data, "--target", "shape", "--save", model);
            Assert.True(code == 0, $"exit code {code}: {error}");
            Assert.Equal(File.ReadAllBytes(inProcess), File.ReadAllBytes(model));
            bool trainerCompiled = File.ReadAllText(compiled).Contains("Backprop.Estimators.TabularTrainer`1[float]:Run(", StringComparison.Ordinal);
            Assert.True(trainerCompiled != precompiled,
                precompiled ? "TabularTrainer<float>.Run was JIT-compiled: the composite image's code was not used"
                            : "the JIT's list of compiled methods does not name TabularTrainer<float>.Run");
            if (precompiled)
            {
                // LINQ over value types is the framework's generic code that no image holds: each method is compiled at first
                // use in every run, which was about half of a small table's compilation (docs/performance.md, "Start-up").
                string[] linq = [.. File.ReadAllLines(compiled).Where(line => line.Contains("System.Linq.", StringComparison.Ordinal) && OverValueTypes(line))];
                Assert.True(linq.Length == 0, "a default run compiled LINQ over value types; write these as loops:\n" + string.Join("\n", linq));
            }
        }
    }

    // Whether a line of the JIT's list names a method instantiated over a value type ("Sum[System.__Canon,long,long]"): shared
    // code over reference types (System.__Canon) is precompiled in the framework's own images.
    private static bool OverValueTypes(string line)
    {
        int start = line.IndexOf("compiled ", StringComparison.Ordinal) + "compiled ".Length;
        int end = line.IndexOf('(', start);
        string name = end < 0 ? line[start..] : line[start..end];
        int open = name.IndexOf('[');
        return open >= 0 && name[open..].Replace("System.__Canon", "", StringComparison.Ordinal).Any(char.IsLetter);
    }

    private static bool HasMetadata(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.HasMetadata;
    }

    private static uint? ReadyToRunFlags(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        DirectoryEntry header = pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory;
        if (header.Size == 0) return null;
        BlobReader reader = pe.GetSectionData(header.RelativeVirtualAddress).GetReader();
        if (reader.ReadUInt32() != ReadyToRunSignature) return null;
        reader.ReadUInt16(); // major version
        reader.ReadUInt16(); // minor version
        return reader.ReadUInt32();
    }

    /// <summary>
    /// The CLI built once for the class as README's <c>dotnet run -c Release</c> builds it, in a temporary artifacts folder.
    /// Awaited, not waited on (see <see cref="NativeAotTests.Executable"/>).
    /// </summary>
    public sealed class Build : IDisposable
    {
        private readonly Lazy<Task<string>> _output;
        private readonly string _artifacts = Path.Combine(Path.GetTempPath(), "backprop-r2r-" + Guid.NewGuid().ToString("N"));

        public Build() => _output = new Lazy<Task<string>>(() => Task.Run(Compile));

        /// <summary>The folder holding the built backprop.dll and its composite image.</summary>
        public Task<string> Folder => _output.Value;

        /// <summary>Runs the built CLI with <c>dotnet</c>; its exit code, standard output and standard error.</summary>
        public async Task<(int ExitCode, string Output, string Error)> Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
        {
            string folder = await Folder;
            return await Task.Run(() => ChildProcess.Run("dotnet", [Path.Combine(folder, "backprop.dll"), .. arguments], TimeSpan.FromMinutes(2), environment));
        }

        private string Compile()
        {
            // Its own artifacts folder: the repository's bin/ and obj/ stay the test run's; no build servers outlive it.
            var (code, log, error) = ChildProcess.Run("dotnet",
                ["build", Path.Combine(RepositoryPaths.Root, "src", "Backprop.Cli"), "-c", "Release", "--artifacts-path", _artifacts, "--disable-build-servers"],
                TimeSpan.FromMinutes(8));
            string folder = Path.Combine(_artifacts, "bin", "Backprop.Cli", "release");
            if (code != 0 || !File.Exists(Path.Combine(folder, "backprop.dll")))
            {
                throw new InvalidOperationException($"dotnet build -c Release failed (exit code {code}):\n{ChildProcess.Tail(log + error)}");
            }
            return folder;
        }

        public void Dispose() => ChildProcess.DeleteFolder(_artifacts);
    }
}
