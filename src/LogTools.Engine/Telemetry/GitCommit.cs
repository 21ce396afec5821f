namespace LogTools.Engine.Sessions;

/// <summary>
/// Finds the commit checked out in a folder by reading git's files directly (.git folder or worktree
/// .git file, HEAD, loose refs, packed-refs), so no git executable is needed on the machine.
/// </summary>
public static class GitCommit
{
    /// <summary>The full hash HEAD points at for the repository containing <paramref name="directory"/>; null outside a repository or on an unborn branch.</summary>
    public static string? Find(string directory)
    {
        try
        {
            return FindGitDir(directory) is { } gitDir ? Resolve(gitDir) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The commit is a helpful annotation: a session must start even where git's files cannot be read.
            return null;
        }
    }

    private static string? FindGitDir(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var dotGit = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(dotGit))
            {
                return dotGit;
            }

            if (File.Exists(dotGit))
            {
                // A worktree or submodule: ".git" is a file "gitdir: <path>", relative to the file's folder.
                var line = File.ReadLines(dotGit).FirstOrDefault() ?? string.Empty;
                const string prefix = "gitdir:";
                return line.StartsWith(prefix, StringComparison.Ordinal)
                    ? Path.GetFullPath(Path.Combine(dir.FullName, line[prefix.Length..].Trim()))
                    : null;
            }
        }

        return null;
    }

    private static string? Resolve(string gitDir)
    {
        // Worktrees keep HEAD in their own folder and share branches with the main repository ("commondir").
        var commonFile = Path.Combine(gitDir, "commondir");
        var commonDir = File.Exists(commonFile) ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(commonFile).Trim())) : gitDir;
        var value = ReadTrimmed(Path.Combine(gitDir, "HEAD"));
        // A symbolic ref may point at another symbolic ref; a few hops are plenty and stop loops.
        for (var hop = 0; hop < 5 && value is not null; hop++)
        {
            if (!value.StartsWith("ref:", StringComparison.Ordinal))
            {
                return IsHash(value) ? value.ToLowerInvariant() : null;
            }

            var name = value[4..].Trim();
            value = ReadTrimmed(Path.Combine(gitDir, name)) ?? ReadTrimmed(Path.Combine(commonDir, name)) ?? Packed(commonDir, name);
        }

        return null;
    }

    private static string? Packed(string commonDir, string name)
    {
        var file = Path.Combine(commonDir, "packed-refs");
        if (!File.Exists(file))
        {
            return null;
        }

        foreach (var line in File.ReadLines(file))
        {
            var space = line.IndexOf(' ');
            if (space > 0 && line[0] is not ('#' or '^') && line.AsSpan(space + 1).Trim().SequenceEqual(name))
            {
                return line[..space];
            }
        }

        return null;
    }

    private static string? ReadTrimmed(string file) => File.Exists(file) ? File.ReadAllText(file).Trim() : null;

    private static bool IsHash(string value) => value.Length is 40 or 64 && value.All(Uri.IsHexDigit);
}
