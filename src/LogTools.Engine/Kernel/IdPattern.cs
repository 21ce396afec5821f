using System.Text;

namespace LogTools.Engine;

/// <summary>
/// Session, task and worker ids given with PowerShell's wildcards (*, ?, [a-z], ` to escape) as SQLite GLOB
/// patterns. Matching is case-sensitive, as ids are. An id with a wildcard character is a pattern: it may
/// match nothing without being an error.
/// </summary>
internal static class IdPattern
{
    public static bool IsPattern(string id) => id.AsSpan().IndexOfAny("*?[") >= 0;

    public static string ToGlob(string pattern)
    {
        var glob = new StringBuilder(pattern.Length + 8);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length)
            {
                AppendLiteral(glob, pattern[++i]);
            }
            else if (c is '*' or '?')
            {
                glob.Append(c);
            }
            else if (c == '[' && pattern.IndexOf(']', i + 1) is var close && close > i + 1)
            {
                // A set: GLOB reads a leading ^ as "not", PowerShell as a character, so it moves to the end.
                var set = pattern[(i + 1)..close].Replace("`", string.Empty, StringComparison.Ordinal);
                glob.Append('[').Append(set.StartsWith('^') ? set[1..] + "^" : set).Append(']');
                i = close;
            }
            else
            {
                AppendLiteral(glob, c);
            }
        }

        return glob.ToString();
    }

    private static void AppendLiteral(StringBuilder glob, char c) =>
        glob.Append(c is '*' or '?' or '[' ? $"[{c}]" : c.ToString());
}
