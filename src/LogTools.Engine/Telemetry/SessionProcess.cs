using System.Diagnostics;
using System.Globalization;

namespace LogTools.Engine.Sessions;

/// <summary>
/// The process that started a session (host, pid and start time), and whether it still runs. Only a process of
/// this machine can be checked; the start time tells a reused pid from the original process.
/// </summary>
internal static class SessionProcess
{
    // Start times are stored to the millisecond and read back from /proc or the OS with its own rounding.
    private static readonly TimeSpan StartTolerance = TimeSpan.FromSeconds(2);

    // Linux with a /proc that lists every process of this process's pid namespace: mounted (a container may lack it),
    // its own namespace's (else /proc/self dangles) and not hiding other users' processes (hidepid hides pid 1 from
    // every user but its owner). Otherwise the OS is asked as elsewhere.
    private static readonly bool ProcListsProcesses =
        OperatingSystem.IsLinux() && Directory.Exists("/proc/self") && Directory.Exists("/proc/1");

    /// <summary>This process: its id and when it started, or null when the OS does not say.</summary>
    public static (long Id, DateTimeOffset? StartedAt) Current()
    {
        using var self = Process.GetCurrentProcess();
        return (self.Id, StartTime(self));
    }

    /// <summary>
    /// False only when the session's process is certainly gone: it ran on this machine, and no process has its
    /// pid, or the one that has it started at another time. Sessions of other hosts, or without a pid (recorded
    /// before LogTools kept it), are taken as running.
    /// </summary>
    public static bool MayBeRunning(string host, long? processId, DateTimeOffset? startedAt)
    {
        if (processId is not { } id || !string.Equals(host, HostName.Current, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // Where /proc lists the processes, a pid without its folder is gone: asked without the exception that
        // GetProcessById throws for it, which every Write-RunEvent in a process of its own met (the run's owner has
        // usually exited by then), with its message formatted from resources on the way.
        if (ProcListsProcesses && id is > 0 and <= int.MaxValue && !Directory.Exists("/proc/" + id.ToString(CultureInfo.InvariantCulture)))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById((int)id);
            return process.HasExited is false &&
                (startedAt is not { } recorded || StartTime(process) is not { } actual || (actual - recorded).Duration() <= StartTolerance);
        }
        catch (ArgumentException)
        {
            return false; // no process has this id
        }
        catch (InvalidOperationException)
        {
            return false; // it exited while being looked at
        }
    }

    private static DateTimeOffset? StartTime(Process process)
    {
        try
        {
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null; // not allowed to see it: no proof the process is another one
        }
    }
}
