using System.Text;
using System.Text.RegularExpressions;

namespace Backprop.Data;

/// <summary>
/// The files of a table written in shards: every data file of a folder, or every file a glob matches, in the order of their
/// paths (ordinal), as Spark, Dask or a split command number them.
/// </summary>
/// <remarks>
/// A data file ends in <c>.csv</c>, <c>.tsv</c>, <c>.txt</c> or <c>.parquet</c> (any case). A folder's files are taken from the
/// folder itself, not its subfolders; names starting with <c>_</c> or <c>.</c> are left out, as Hadoop and Spark write their
/// markers and checksums (<c>_SUCCESS</c>, <c>.part-0.crc</c>). A glob may use <c>*</c> (any characters but <c>/</c>),
/// <c>?</c> (one character but <c>/</c>) and <c>**</c> (any folders, none included) in any part of the path, with <c>/</c>
/// between folders; quote it so that the shell leaves it alone.
/// </remarks>
internal static class Shards
{
    private static readonly string[] DataExtensions = [".csv", ".tsv", ".txt", ".parquet", ".parq"];

    /// <summary>Whether <paramref name="path"/> is a glob: it holds <c>*</c> or <c>?</c>.</summary>
    public static bool IsGlob(string path) => path.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>The files of the data at <paramref name="path"/>: the shards of a folder or glob (<see cref="Find"/>), or the file itself.</summary>
    /// <exception cref="BackpropException">No such file, or a folder or glob without data files.</exception>
    public static IReadOnlyList<string> FilesOf(string path) =>
        IsGlob(path) || Directory.Exists(path) ? Find(path)
        : File.Exists(path) ? [path]
        : throw DataErrors.FileNotFound(path);

    /// <summary>The shard files of the folder or glob <paramref name="path"/>, sorted by path; at least one.</summary>
    /// <exception cref="BackpropException">The folder or glob names no data file.</exception>
    public static IReadOnlyList<string> Find(string path)
    {
        string[] files = IsGlob(path) ? Glob(path) : Folder(path);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static bool IsDataFile(string path)
    {
        string name = Path.GetFileName(path);
        return name.Length > 0 && name[0] is not ('_' or '.') && DataExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
    }

    private static string[] Folder(string folder)
    {
        string[] all = Directory.GetFiles(folder);
        string[] files = all.Where(IsDataFile).ToArray();
        if (files.Length == 0)
        {
            string others = all.Length == 0 ? "an empty folder"
                : $"a folder of {Plural.Of(all.Length, "other file")} ({DataErrors.List(all.Select(Path.GetFileName).Take(5).ToArray()!)}{(all.Length > 5 ? ", …" : "")})";
            throw DataErrors.NoShards(folder, others);
        }
        return files;
    }

    // The folder part before the first wildcard is walked from; the rest is matched as a regular expression on the path.
    private static string[] Glob(string pattern)
    {
        string normalized = pattern.Replace('\\', '/');
        int wildcard = normalized.AsSpan().IndexOfAny('*', '?');
        int slash = normalized.LastIndexOf('/', wildcard);
        string root = slash < 0 ? "." : slash == 0 ? "/" : normalized[..slash];
        if (!Directory.Exists(root))
        {
            throw DataErrors.NoShards(pattern, $"no folder '{root}'");
        }
        bool deep = normalized.IndexOf('/', wildcard) >= 0 || normalized.Contains("**", StringComparison.Ordinal);
        var regex = new Regex("^" + ToRegex(slash < 0 ? normalized : normalized[(slash + 1)..]) + "$", RegexOptions.CultureInvariant);
        string[] files = Directory.EnumerateFiles(root, "*", deep ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(file => regex.IsMatch(Path.GetRelativePath(root, file).Replace('\\', '/')))
            .Select(file => slash < 0 ? Path.GetRelativePath(".", file) : file)
            .ToArray();
        if (files.Length == 0)
        {
            throw DataErrors.NoShards(pattern, "no file matches it");
        }
        string[] data = files.Where(IsDataFile).ToArray();
        if (data.Length == 0)
        {
            throw DataErrors.NoShards(pattern, $"{Plural.Of(files.Length, "file")} that match, none of them a data file ({DataErrors.List(files.Take(5).ToArray())})");
        }
        return data;
    }

    // "**/" any folders (none included), "**" anything, "*" anything but '/', "?" one character but '/'.
    private static string ToRegex(string glob)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool folders = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(folders ? "(?:.*/)?" : ".*");
                i += folders ? 2 : 1;
            }
            else
            {
                regex.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            }
        }
        return regex.ToString();
    }
}
