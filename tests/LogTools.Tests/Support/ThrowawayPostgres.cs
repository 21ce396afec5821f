using System.Diagnostics;

namespace LogTools.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of Debian's packaged server, made for one test or benchmark process in a temporary folder and
/// removed with it: listening only on a Unix socket there, trusting local logins, durability off (as the Pester tests' cluster).
/// Root cannot run the server, so as root it runs as the unprivileged user nobody.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string bin;
    private readonly string root;

    public ThrowawayPostgres()
    {
        bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!)).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (Debian: apt-get install postgresql).");
        root = Directory.CreateTempSubdirectory("logtools-pg-").FullName;
        Run("chown", "-R", "nobody", root);
        AsServerUser(Path.Combine(bin, "initdb"), "-D", Path.Combine(root, "data"), "-U", "logtools", "--auth=trust", "-E", "UTF8", "--no-sync");
        AsServerUser(
            Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(root, "data"), "-l", Path.Combine(root, "server.log"), "-w",
            "-o", $"-k {root} -c listen_addresses='' -c fsync=off -c shared_buffers=512MB", "start");
        Version = File.ReadAllText(Path.Combine(root, "data", "PG_VERSION")).Trim();

        // A watchdog in a session of its own stops and removes the cluster once this process has ended, however it
        // ends: a test runner ends its test host without waiting for exit handlers.
        var asServerUser = Environment.UserName == "root" ? "runuser -u nobody -- " : "";
        var stop = $"{asServerUser}'{Path.Combine(bin, "pg_ctl")}' -D '{Path.Combine(root, "data")}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{root}'";
        Process.Start("setsid", ["-f", "sh", "-c", $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop}"]).Dispose();
    }

    /// <summary>The server's major version.</summary>
    public string Version { get; }

    /// <summary>A new database, as a store location with <paramref name="contentRoot"/> for its files.</summary>
    public string NewStore(string name, string contentRoot)
    {
        Run(Path.Combine(bin, "createdb"), "-h", root, "-U", "logtools", name);
        return $"postgres://logtools@/{name}?host={root}&content={contentRoot}";
    }

    public void Dispose()
    {
        AsServerUser(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(root, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(root, recursive: true);
    }

    private static void AsServerUser(string program, params string[] args)
    {
        if (Environment.UserName == "root")
        {
            Run("runuser", ["-u", "nobody", "--", program, .. args]);
        }
        else
        {
            Run(program, args);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }
}
