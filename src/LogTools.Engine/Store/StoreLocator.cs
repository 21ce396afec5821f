namespace LogTools.Engine.Store;

/// <summary>
/// Chooses the store folder with no configuration needed: -Store, then the session's choice, then
/// $LOGTOOLS_STORE, then the user's candidate list (first whose parent exists: an external disk with
/// a local fallback), then the per-user data folder.
/// </summary>
public static class StoreLocator
{
    public const string EnvironmentVariable = "LOGTOOLS_STORE";

    /// <summary>Whether <paramref name="location"/> is a store on a database server (postgres://...) rather than a folder.</summary>
    public static bool IsServer(string? location) => ServerLocation.IsServer(location);

    /// <summary>
    /// A server store as Set-LogStore -ConnectionString takes it (a postgres:// URI or key=value pairs, a content root, a
    /// credential's user): the location a session keeps, which holds no password, and the password the connection held.
    /// </summary>
    public static (string Location, string? Password) ServerStore(string connection, string? contentRoot, string? user)
    {
        var server = ServerLocation.FromConnection(connection, contentRoot, user);
        return (server.Location, server.Password);
    }

    /// <summary>A location as messages show it: a server location without its password.</summary>
    public static string Display(string location) => IsServer(location) ? ServerLocation.Parse(location).Display : location;

    /// <param name="parameterPath">The -Store value, already resolved against PowerShell's location (a server location as given).</param>
    /// <param name="sessionPath">The folder chosen with Set-LogStore for this session.</param>
    /// <param name="settings">The user's settings (candidate list).</param>
    public static StoreLocation Resolve(string? parameterPath, string? sessionPath, UserSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(parameterPath))
        {
            return new StoreLocation(Full(parameterPath), StoreSource.Parameter, "-Store parameter");
        }

        if (!string.IsNullOrWhiteSpace(sessionPath))
        {
            return new StoreLocation(Full(sessionPath), StoreSource.Session, "Set-LogStore in this session");
        }

        var fromEnvironment = System.Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new StoreLocation(Full(fromEnvironment), StoreSource.Environment, "$env:" + EnvironmentVariable);
        }

        foreach (var candidate in settings.StoreCandidates)
        {
            var full = Path.GetFullPath(ExpandHome(candidate));
            var parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            if (parent is not null && Directory.Exists(parent))
            {
                return new StoreLocation(full, StoreSource.Candidate, "first available of " + string.Join(", ", settings.StoreCandidates));
            }
        }

        var detail = settings.StoreCandidates.Count == 0
            ? "per-user data folder"
            : "per-user data folder (no candidate's parent exists: " + string.Join(", ", settings.StoreCandidates) + ")";
        return new StoreLocation(DefaultPath(), StoreSource.Default, detail);
    }

    /// <summary>%LOCALAPPDATA%\LogTools on Windows; $XDG_DATA_HOME/LogTools or ~/.local/share/LogTools elsewhere.</summary>
    public static string DefaultPath()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData), "LogTools");
        }

        var xdg = System.Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(UserSettings.HomeFolder(), ".local", "share") : xdg, "LogTools");
    }

    /// <summary>A folder as a full path; a server location as it is.</summary>
    private static string Full(string location) => IsServer(location) ? location : Path.GetFullPath(ExpandHome(location));

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(UserSettings.HomeFolder(), path.Length > 2 ? path[2..] : string.Empty)
            : path;
}
