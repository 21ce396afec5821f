using System.Diagnostics;
using System.Text.Json;

namespace LogTools.Tests.Support;

/// <summary>
/// The pinned PowerShell (the dotnet tool in .config/dotnet-tools.json) started directly as
/// <c>dotnet pwsh.dll</c> from the NuGet package folder, so the process a test starts (and may kill) is pwsh
/// itself, in the tests' own config home and working folder (<see cref="IsolatedHome"/>). Also compiled into the benchmarks.
/// </summary>
public static class Pwsh
{
    private static readonly Lazy<string> PwshDll = new(Locate);

    /// <summary>A start for <c>pwsh -NoProfile -NonInteractive</c> followed by <paramref name="arguments"/>, all streams redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        IsolatedHome.Apply();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = IsolatedHome.WorkFolder,
        };
        info.ArgumentList.Add(PwshDll.Value);
        info.ArgumentList.Add("-NoProfile");
        info.ArgumentList.Add("-NonInteractive");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>
    /// A start for <c>pwsh -Command</c> running <paramref name="script"/> after importing the assembled module
    /// by path, as a scheduled task's command line does.
    /// </summary>
    public static ProcessStartInfo CommandStartInfo(string repoRoot, string script) =>
        StartInfo(["-Command", $"Import-Module '{Path.Combine(repoRoot, "out", "LogTools", "LogTools.psd1")}' -ErrorAction Stop\n{script}"]);

    private static string Locate()
    {
        var root = FindRoot();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, ".config", "dotnet-tools.json")));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, "powershell", version, "tools");
        var dll = Directory.Exists(tools)
            ? Directory.EnumerateFiles(tools, "pwsh.dll", SearchOption.AllDirectories)
                .FirstOrDefault(p => Path.GetFileName(Path.GetDirectoryName(p)) == (OperatingSystem.IsWindows() ? "win" : "unix"))
            : null;
        return dll ?? throw new InvalidOperationException($"PowerShell {version} (the pinned dotnet tool) is not restored under {tools}: run `dotnet tool restore` in {root}.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(".config/dotnet-tools.json not found above " + AppContext.BaseDirectory);
    }
}
