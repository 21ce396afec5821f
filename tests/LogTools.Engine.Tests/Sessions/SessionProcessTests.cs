using System.Diagnostics;
using LogTools.Engine.Sessions;

namespace LogTools.Engine.Tests.Sessions;

/// <summary>Whether a recorded owner process still runs, asked of real processes.</summary>
public sealed class SessionProcessTests
{
    [Fact]
    public void A_running_process_with_its_start_time_may_be_running_and_is_gone_once_it_exited()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        var started = new DateTimeOffset(child.StartTime.ToUniversalTime(), TimeSpan.Zero);
        Assert.True(SessionProcess.MayBeRunning(HostName.Current, child.Id, started));
        Assert.True(SessionProcess.MayBeRunning(HostName.Current, child.Id, null));

        // The same pid recorded with another start time is another process: the recorded one is gone.
        Assert.False(SessionProcess.MayBeRunning(HostName.Current, child.Id, started.AddMinutes(-5)));

        child.Kill();
        child.WaitForExit(); // reaped: no process has the pid now
        Assert.False(SessionProcess.MayBeRunning(HostName.Current, child.Id, started));
        Assert.False(SessionProcess.MayBeRunning(HostName.Current, child.Id, null));
    }

    [Fact]
    public void This_process_may_be_running_and_other_hosts_or_unknown_pids_are_taken_as_running()
    {
        var (id, started) = SessionProcess.Current();
        Assert.Equal(Environment.ProcessId, id);
        Assert.True(SessionProcess.MayBeRunning(HostName.Current, id, started));
        Assert.True(SessionProcess.MayBeRunning("another-host", 999_999_999, started));
        Assert.True(SessionProcess.MayBeRunning(HostName.Current, null, started));
    }
}
