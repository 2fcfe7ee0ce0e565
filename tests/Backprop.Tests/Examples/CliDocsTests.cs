using System.Text.RegularExpressions;
using Backprop.Tests.Cli;

namespace Backprop.Tests.Examples;

/// <summary>Keeps docs/cli.md in step with the CLI: every command and every option that <c>--help</c> shows is documented.</summary>
public class CliDocsTests
{
    public static TheoryData<string> Commands => new() { "train", "evaluate", "predict", "info", "export", "datasets", "bench" };

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

    // The text from "## command" to the next "## " heading.
    private static string Section(string docs, string command)
    {
        int start = docs.IndexOf($"\n## {command}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/cli.md has no '## {command}' section.");
        int end = docs.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? docs[start..] : docs[start..end];
    }
}
