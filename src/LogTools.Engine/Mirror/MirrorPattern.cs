using System.Text;
using System.Text.RegularExpressions;

namespace LogTools.Engine.Mirror;

/// <summary>
/// A host file pattern: a literal folder and a glob for the file name (<c>*</c>, <c>?</c>, <c>[abc]</c>,
/// <c>[!abc]</c>). Wildcards in the folder and <c>**</c> are refused: a source is one flat folder.
/// </summary>
public sealed class MirrorPattern
{
    private readonly Regex regex;

    private MirrorPattern(string text, string folder, string fileGlob, Regex regex)
    {
        Text = text;
        Folder = folder;
        FileGlob = fileGlob;
        this.regex = regex;
    }

    /// <summary>The pattern as resolved to a full path.</summary>
    public string Text { get; }

    /// <summary>The folder the pattern looks in.</summary>
    public string Folder { get; }

    /// <summary>The glob applied to file names in <see cref="Folder"/>.</summary>
    public string FileGlob { get; }

    /// <summary>Parses <paramref name="text"/>, resolving a relative pattern against <paramref name="baseFolder"/>.</summary>
    /// <param name="where">Where the pattern came from, for the error message ("'x.yml' line 3, key 'archived_pattern'").</param>
    /// <param name="target">The error's target object (the config file, or the pattern itself).</param>
    public static MirrorPattern Parse(string text, string baseFolder, string where, object target)
    {
        LogToolsException Bad(string why) => new(
            "MirrorPatternInvalid", ErrorKind.InvalidArgument, target,
            $"The pattern '{text}' ({where}) is not a valid file pattern: {why}. Use a folder without wildcards and a file-name glob such as '/var/log/app-*.json'.");

        if (string.IsNullOrWhiteSpace(text))
        {
            throw Bad("it is empty");
        }

        var full = Path.GetFullPath(Path.Combine(baseFolder, text));
        var folder = Path.GetDirectoryName(full);
        var glob = Path.GetFileName(full);
        if (folder is null || glob.Length == 0)
        {
            throw Bad("it names a folder, not files");
        }

        if (folder.IndexOfAny(['*', '?', '[', ']']) >= 0)
        {
            throw Bad("wildcards are allowed in the file name only");
        }

        if (glob.Contains("**", StringComparison.Ordinal))
        {
            throw Bad("'**' is not supported (sources are flat folders)");
        }

        return new MirrorPattern(full, folder, glob, new Regex(ToRegex(glob, Bad), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    /// <summary>Whether a file name in <see cref="Folder"/> matches.</summary>
    public bool Matches(string fileName) => regex.IsMatch(fileName);

    private static string ToRegex(string glob, Func<string, LogToolsException> bad)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    pattern.Append(".*");
                    break;
                case '?':
                    pattern.Append('.');
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 2);
                    if (close < 0)
                    {
                        throw bad($"the '[' at position {i + 1} is not closed");
                    }

                    var set = glob[(i + 1)..close];
                    var negate = set.StartsWith('!');
                    set = negate ? set[1..] : set;
                    if (set.Length == 0)
                    {
                        throw bad($"the set at position {i + 1} is empty");
                    }

                    pattern.Append(negate ? "[^" : "[").Append(set.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal).Replace("^", @"\^", StringComparison.Ordinal)).Append(']');
                    i = close;
                    break;
                case ']':
                    throw bad($"the ']' at position {i + 1} has no '['");
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return pattern.Append('$').ToString();
    }
}
