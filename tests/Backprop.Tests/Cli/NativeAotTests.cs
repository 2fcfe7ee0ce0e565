using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Backprop.Tests.Cli;

/// <summary>
/// The Native AOT executable that README recommends installing: published as README says, it prints what the JIT build
/// prints, writes the same model file byte for byte, scores it the same, and refuses bad input the same way.
/// </summary>
public sealed class NativeAotTests(NativeAotTests.Executable native) : IClassFixture<NativeAotTests.Executable>, IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [NativeAotFact]
    public async Task The_notebook_run_prints_exactly_what_the_jit_build_prints()
    {
        var (code, output, error) = await native.Run("train");
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Equal(CliRunner.Run("train").Output, output);
        Assert.EndsWith("Training Accuracy: 0.98\n", output);
    }

    [NativeAotFact]
    public async Task A_csv_file_trains_to_the_same_model_file_and_scores_the_same()
    {
        string data = _files.Write("shapes.csv", MixedCsv(180, seed: 3));
        string nativeModel = Path.Combine(_files.Directory, "native.safetensors");
        string jitModel = Path.Combine(_files.Directory, "jit.safetensors");

        var (code, _, error) = await native.Run("train", "--data", data, "--target", "shape", "--save", nativeModel, "--json");
        Assert.True(code == 0, $"exit code {code}: {error}");
        var jit = CliRunner.Run("train", "--data", data, "--target", "shape", "--save", jitModel, "--json");
        Assert.True(jit.ExitCode == 0, jit.Error);
        // The default recipe (an ensemble of five, cross-fitted, calibrated) on strings, numbers and missing cells: the
        // same arithmetic in both builds, whatever vector width each kernel took.
        Assert.Equal(File.ReadAllBytes(jitModel), File.ReadAllBytes(nativeModel));

        var nativeScores = await native.Run("evaluate", "--model", nativeModel, "--data", data);
        var jitScores = CliRunner.Run("evaluate", "--model", jitModel, "--data", data);
        Assert.True(nativeScores.ExitCode == 0, nativeScores.Error);
        Assert.Equal(jitScores.Output, nativeScores.Output);
        Assert.Contains("accuracy", nativeScores.Output, StringComparison.OrdinalIgnoreCase);

        var nativePredictions = await native.Run("predict", "--model", nativeModel, "--data", data, "--proba");
        var jitPredictions = CliRunner.Run("predict", "--model", jitModel, "--data", data, "--proba");
        Assert.True(nativePredictions.ExitCode == 0, nativePredictions.Error);
        Assert.Equal(jitPredictions.Output, nativePredictions.Output);
    }

    [NativeAotFact]
    public async Task A_bad_option_value_gets_the_same_one_line_error_and_exit_code()
    {
        var nativeRun = await native.Run("train", "--epochs", "ten");
        var jitRun = CliRunner.Run("train", "--epochs", "ten");
        Assert.NotEqual(0, nativeRun.ExitCode);
        Assert.Equal(jitRun.ExitCode, nativeRun.ExitCode);
        Assert.Equal(jitRun.Error, nativeRun.Error);
        Assert.Single(nativeRun.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", nativeRun.Error);
    }

    /// <summary>
    /// Rows of two numbers (one with empty cells), a string column and a string class decided by them, so that every
    /// default preprocessing step runs: imputation, standardization, one-hot encoding, class names.
    /// </summary>
    internal static string MixedCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("width,height,color,shape\n");
        string[] colors = ["red", "green", "blue"];
        for (int i = 0; i < rows; i++)
        {
            double width = random.NextDouble() * 10, height = random.NextDouble() * 10;
            string color = colors[random.Next(colors.Length)];
            string shape = width > height + 1 ? "wide" : height > width + 1 ? "tall" : color == "red" ? "square" : "round";
            string heightCell = i % 17 == 5 ? "" : height.ToString("F2", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{width:F2},{heightCell},{color},{shape}\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// The CLI published once for the class, as README's "Install" section publishes it, into a temporary folder. Awaited, not
    /// waited on: the publish takes a minute or more, and xUnit runs as many tests at once as there are processors, so a test
    /// blocked on it would hold one of two slots that other tests' awaits need (an interrupted process's output unread).
    /// </summary>
    public sealed class Executable : IDisposable
    {
        private readonly Lazy<Task<string>> _path;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "backprop-aot-" + Guid.NewGuid().ToString("N"));

        public Executable() => _path = new Lazy<Task<string>>(() => Task.Run(Publish));

        /// <summary>Runs the native executable with the arguments; its exit code, standard output and standard error.</summary>
        public async Task<(int ExitCode, string Output, string Error)> Run(params string[] arguments)
        {
            string executable = await _path.Value;
            return await Task.Run(() => ChildProcess.Run(executable, arguments, TimeSpan.FromMinutes(2)));
        }

        private string Publish()
        {
            string runtime = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";
            string output = Path.Combine(_folder, "out");
            // Its own artifacts folder: the repository's bin/ and obj/ stay the test run's; no build servers outlive it.
            var (code, log, error) = ChildProcess.Run("dotnet",
                ["publish", Path.Combine(RepositoryPaths.Root, "src", "Backprop.Cli"), "-c", "Release", "-r", runtime,
                 "-p:PublishAot=true", "--artifacts-path", _folder, "-o", output, "--disable-build-servers"],
                TimeSpan.FromMinutes(8));
            string executable = Path.Combine(output, "backprop");
            if (code != 0 || !File.Exists(executable))
            {
                throw new InvalidOperationException($"dotnet publish -p:PublishAot=true failed (exit code {code}):\n{ChildProcess.Tail(log + error)}");
            }
            return executable;
        }

        public void Dispose() => ChildProcess.DeleteFolder(_folder);
    }
}
