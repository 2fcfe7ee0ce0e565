using System.Text.RegularExpressions;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Examples;

/// <summary>Keeps docs/cli.md in step with the CLI: every command and every option that <c>--help</c> shows is documented.</summary>
public class CliDocsTests
{
    public static TheoryData<string> Commands => new() { "train", "evaluate", "predict", "explain", "info", "export", "datasets", "bench" };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_option_of_the_help_is_in_the_cli_reference(string command)
    {
        var (code, help, error) = CliRunner.Run(command, "--help");
        Assert.True(code == 0, error);
        string options = help[help.IndexOf("Options:", StringComparison.Ordinal)..];
        // The option names are the first column of the Options section: "  --learning-rate, --lr <lr>   Description".
        string[] names = options.Split('\n')
            .Select(line => Regex.Match(line, @"^  ((?:-{1,2}[\w?-]+(?:, )?)+)"))
            .Where(m => m.Success)
            .SelectMany(m => m.Groups[1].Value.Split(", "))
            .Where(name => name.StartsWith("--", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains("--help", names);

        string docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "cli.md"));
        string section = Section(docs, command);
        string[] missing = names.Where(name => !Regex.IsMatch(section, $@"{Regex.Escape(name)}(?![\w-])")).ToArray();
        Assert.True(missing.Length == 0,
            $"docs/cli.md, section '## {command}', does not mention {string.Join(", ", missing)}: paste the Options block of 'backprop {command} --help' there.");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_options_block_of_the_cli_reference_is_the_help_verbatim(string command)
    {
        var (code, help, error) = CliRunner.Run(command, "--help");
        Assert.True(code == 0, error);
        string[] options = help[(help.IndexOf("Options:\n", StringComparison.Ordinal) + "Options:\n".Length)..]
            .Split('\n').TakeWhile(line => line.Length > 0).ToArray();
        string docs = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "cli.md")).ReplaceLineEndings("\n");
        string block = string.Join('\n', options);
        Assert.True(Section(docs, command).Contains("```text\n" + block + "\n```", StringComparison.Ordinal),
            $"docs/cli.md, section '## {command}': its options block is not the help's; paste the Options lines of 'backprop {command} --help':\n{block}");
    }

    [Fact]
    public void The_readme_shows_what_the_notebook_run_prints()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");
        int start = readme.IndexOf("```\nEpoch 0 Loss: ", StringComparison.Ordinal) + "```\n".Length;
        Assert.True(start > 4, "README.md has no block of the notebook's output");
        string[] shown = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)].TrimEnd('\n').Split('\n');
        var (code, output, error) = CliRunner.Run("train");
        Assert.True(code == 0, error);
        string[] printed = output.TrimEnd('\n').Split('\n');
        // "…" stands for the lines left out; every other line is the program's, in order.
        int at = 0;
        foreach (string line in shown)
        {
            if (line == "…")
            {
                at = Array.IndexOf(printed, shown[Array.IndexOf(shown, line) + 1], at);
                Assert.True(at >= 0, $"README.md shows '{shown[Array.IndexOf(shown, line) + 1]}', which the program does not print");
                continue;
            }
            Assert.True(at < printed.Length, $"README.md shows '{line}' after the end of the output");
            Assert.Equal(printed[at], line);
            at++;
        }
        Assert.Equal(printed.Length, at);
    }

    // The text from "## command" to the next "## " heading.
    private static string Section(string docs, string command)
    {
        int start = docs.IndexOf($"\n## {command}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/cli.md has no '## {command}' section.");
        int end = docs.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? docs[start..] : docs[start..end];
    }
}
