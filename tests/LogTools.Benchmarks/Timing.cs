using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LogTools.Benchmarks;

/// <summary>Shared measuring: warm-up then the median of several runs, and a runspace with the assembled module.</summary>
public static class Timing
{
    /// <summary>Median and fastest of <paramref name="runs"/> runs after a warm-up; the fastest is the least disturbed by other load.</summary>
    public static (double Median, double Min) Ms(int runs, Action work)
    {
        work();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            work();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[times.Count / 2], times[0]);
    }

    /// <summary>The median of <paramref name="values"/> (the upper one of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>The machine's 1-minute load average, as text.</summary>
    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>A runspace that imported out/LogTools by path.</summary>
    public static Runspace ModuleRunspace()
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Invoke(runspace, $"Import-Module '{Path.Combine(RepoRoot(), "out", "LogTools", "LogTools.psd1")}' -ErrorAction Stop");
        return runspace;
    }

    public static IReadOnlyList<PSObject> Invoke(Runspace runspace, string script, params object[] args)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var arg in args)
        {
            shell.AddArgument(arg);
        }

        var output = shell.Invoke();
        if (shell.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", shell.Streams.Error));
        }

        return output;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LogTools.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LogTools.sln not found above " + AppContext.BaseDirectory);
    }
}
