using LogTools.Tests.Support;
using static LogTools.Tests.Sessions.TelemetryStore;

namespace LogTools.Tests.Sessions;

public sealed class SharedSessionProcessTests
{
    [Fact]
    public async Task Several_pwsh_processes_write_one_session_at_once_without_errors()
    {
        using var session = new ModuleSession();
        session.Run("Start-LogSession -SessionId shared | Out-Null").AssertNoErrors();

        // Like scheduled tasks: separate processes, no current session, the session given with -SessionId.
        var runs = Enumerable.Range(1, 4).Select(n => Task.Run(() => PwshRun.Command($$"""
            Set-LogStore -Path '{{session.StorePath}}'
            Set-LogTask job-{{n}} -Status Active -SessionId shared
            Set-LogWorker worker-{{n}} -Status Spawned -TaskId job-{{n}} -Pid $PID -SessionId shared
            1..200 | ForEach-Object { Write-LogEvent load "event $_" -ContextType task -ContextId job-{{n}} -SessionId shared }
            Set-LogWorker worker-{{n}} -Status Completed -ExitCode 0
            Set-LogTask job-{{n}} -Status Completed
            """))).ToArray();
        foreach (var run in await Task.WhenAll(runs))
        {
            Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        }

        Assert.Equal(800L, Count(session.StorePath, "events"));
        Assert.Equal(800, session.Run("Get-LogEvent -SessionId shared -Type load").AssertNoErrors().Output.Count);
        Assert.Equal(200, session.Run("Get-LogEvent -ContextId job-3").AssertNoErrors().Output.Count);
        Assert.Equal(4, session.Run("Get-LogTask -SessionId shared -Status Completed").AssertNoErrors().Output.Count);
        Assert.Equal(4, session.Run("Get-LogWorker -SessionId shared -Status Completed").AssertNoErrors().Output.Count);
    }
}
