using System.Data.Common;
using Npgsql;

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

    /// <summary>
    /// The whole location as a URI without the password: what a session remembers and <see cref="Parse"/> reads back
    /// (a Unix socket goes in <c>?host=</c>, where its slashes need no escaping).
    /// </summary>
    public string Location
    {
        get
        {
            var socket = Host.StartsWith('/');
            var user = User is null ? "" : Uri.EscapeDataString(User) + "@";
            var query = (socket ? "host=" + QueryPath(Host) + "&" : "") + "content=" + QueryPath(ContentRoot);
            return $"postgres://{user}{(socket ? "localhost" : Host)}:{Port}/{Uri.EscapeDataString(Database)}?{query}";
        }
    }

    /// <summary>Whether <paramref name="location"/> names a server store rather than a folder.</summary>
    public static bool IsServer(string? location) =>
        location is not null && (location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A server store as Set-LogStore takes it: a postgres:// URI or key=value pairs (Host, Port, Database, Username,
    /// Password), a content root that replaces the URI's, and a user (a credential's) that replaces the connection's.
    /// </summary>
    public static ServerLocation FromConnection(string connection, string? contentRoot, string? user)
    {
        var location = IsServer(connection) ? Parse(connection, contentRoot) : FromKeywords(connection, contentRoot);
        return user is null ? location : location with { User = user };
    }

    /// <summary>Reads a postgres:// URI; a missing or relative content root, or a missing database, is refused.</summary>
    /// <param name="contentRoot">A content root given apart from the URI, which replaces the URI's.</param>
    public static ServerLocation Parse(string location, string? contentRoot = null)
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

        if (contentRoot is not null)
        {
            query["content"] = contentRoot;
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

        return new ServerLocation(host, port, database, user, password, FullContentRoot(query.GetValueOrDefault("content"), location));
    }

    private static ServerLocation FromKeywords(string connection, string? contentRoot)
    {
        DbConnectionStringBuilder pairs;
        try
        {
            pairs = new DbConnectionStringBuilder { ConnectionString = connection };
        }
        catch (ArgumentException e)
        {
            throw Invalid("(a connection string)", "it is neither a postgres:// URI nor a list of key=value pairs (" + e.Message + ")");
        }

        // Messages show the pairs without the password.
        var shown = new DbConnectionStringBuilder();
        foreach (var key in pairs.Keys.Cast<string>().Where(k => !k.Equals("password", StringComparison.OrdinalIgnoreCase) && !k.Equals("pwd", StringComparison.OrdinalIgnoreCase)))
        {
            shown[key] = pairs[key];
        }

        var unknown = pairs.Keys.Cast<string>().Where(k => !KeywordsUsed.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            // Dropping a setting such as SSL Mode quietly would connect in a way the admin did not ask for.
            throw Invalid(shown.ConnectionString, $"LogTools uses only Host, Port, Database, Username and Password from it, and it also sets {string.Join(", ", unknown)}");
        }

        var builder = new NpgsqlConnectionStringBuilder(connection);
        if (string.IsNullOrEmpty(builder.Database))
        {
            throw Invalid(shown.ConnectionString, "it names no database (Database=logtools)");
        }

        return new ServerLocation(
            string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host, builder.Port, builder.Database, builder.Username, builder.Password,
            FullContentRoot(contentRoot, shown.ConnectionString));
    }

    private static readonly HashSet<string> KeywordsUsed = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "server", "port", "database", "db", "username", "user name", "user id", "userid", "user", "password", "pwd",
    };

    // Slashes stay readable; Parse unescapes the rest.
    private static string QueryPath(string path) => Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal);

    private static string FullContentRoot(string? content, string location) =>
        content is { Length: > 0 } && Path.IsPathFullyQualified(content)
            ? Path.GetFullPath(content)
            : throw Invalid(location, "it names no content root, the shared folder for the store's files, as a full path (?content=/mnt/shared/logtools, or -ContentRoot)");

    private static LogToolsException Invalid(string location, string why)
    {
        // The location may hold a password: the message shows only what precedes the user information.
        var shown = location.Contains('@', StringComparison.Ordinal) ? location[..(location.IndexOf("://", StringComparison.Ordinal) + 3)] + "…" + location[location.LastIndexOf('@')..] : location;
        return new LogToolsException(
            "StoreLocationInvalid", ErrorKind.InvalidArgument, shown,
            $"The store location '{shown}' cannot be used: {why}. Write it as postgres://user@host:5432/logtools?content=/mnt/shared/logtools " +
            "(a Unix socket: ?host=/run/postgresql); give the password through Set-LogStore -Credential, PGPASSWORD or ~/.pgpass rather than in the location.");
    }
}
