namespace LogTools.Engine.Store;

/// <summary>
/// A store on a database server: where the server and database are, as a URI
/// (<c>postgres://user@host:5432/logtools?content=/mnt/shared/logtools</c>; <c>host=/run/postgresql</c> for a Unix
/// socket), and the content root, the shared folder that holds the store's files. A password in the URI is used but
/// never shown: <see cref="Display"/> is what messages and Get-LogStore print.
/// </summary>
internal sealed record ServerLocation(string Host, int Port, string Database, string? User, string? Password, string ContentRoot)
{
    public const int DefaultPort = 5432;

    /// <summary>The location without its password: safe for messages, errors and output.</summary>
    public string Display => $"postgres://{(User is null ? "" : Uri.EscapeDataString(User) + "@")}{(Host.StartsWith('/') ? Uri.EscapeDataString(Host) : Host)}:{Port}/{Database}";

    /// <summary>Whether <paramref name="location"/> names a server store rather than a folder.</summary>
    public static bool IsServer(string? location) =>
        location is not null && (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a postgres:// URI; a missing or relative content root, or a missing database, is refused.</summary>
    public static ServerLocation Parse(string location)
    {
        var rest = location[(location.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (rest.IndexOf('?') is var q and >= 0)
        {
            foreach (var pair in rest[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                query[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            }

            rest = rest[..q];
        }

        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : Uri.UnescapeDataString(rest[(slash + 1)..]);
        string? user = null, password = null;
        if (authority.LastIndexOf('@') is var at and >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        var host = Uri.UnescapeDataString(authority);
        var port = DefaultPort;
        if (!host.StartsWith('/') && host.LastIndexOf(':') is var p and >= 0)
        {
            port = int.TryParse(host[(p + 1)..], out var number) && number is > 0 and < 65536 ? number : throw Invalid(location, "the port is not a number from 1 to 65535");
            host = host[..p];
        }

        host = query.GetValueOrDefault("host") is { Length: > 0 } socket ? socket : host.Length > 0 ? host : "localhost";
        user = query.GetValueOrDefault("user") ?? user;
        if (database.Length == 0)
        {
            throw Invalid(location, "it names no database (postgres://user@host:5432/DATABASE?content=...)");
        }

        if (query.GetValueOrDefault("content") is not { Length: > 0 } content || !Path.IsPathFullyQualified(content))
        {
            throw Invalid(location, "it names no content root, the shared folder for the store's files, as a full path (?content=/mnt/shared/logtools)");
        }

        return new ServerLocation(host, port, database, user, password, Path.GetFullPath(content));
    }

    private static LogToolsException Invalid(string location, string why)
    {
        // The location may hold a password: the message shows only what precedes the user information.
        var shown = location.Contains('@', StringComparison.Ordinal) ? location[..(location.IndexOf("://", StringComparison.Ordinal) + 3)] + "…" + location[location.LastIndexOf('@')..] : location;
        return new LogToolsException(
            "StoreLocationInvalid", ErrorKind.InvalidArgument, shown,
            $"The store location '{shown}' cannot be used: {why}. Write it as postgres://user@host:5432/logtools?content=/mnt/shared/logtools " +
            "(a Unix socket: ?host=/run/postgresql); give the password through PGPASSWORD or ~/.pgpass rather than in the location.");
    }
}
