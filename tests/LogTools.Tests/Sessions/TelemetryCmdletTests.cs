using System.Management.Automation;
using LogTools.Tests.Support;
using static LogTools.Tests.Sessions.TelemetryStore;

namespace LogTools.Tests.Sessions;

public sealed class TelemetryCmdletTests
{
    // The seed scenario: one session, two tasks, three workers.
    private const string Scenario = """
        Start-LogSession -SessionId coord-1 -Config ([ordered]@{ model = 'opus'; jobs = 2; repos = @('a', 'b') }) | Out-Null
        Set-LogTask gh-450 -Status Detected -IssueNumber 450 -Title 'Fix the parser'
        Set-LogTask gh-451 -Status Detected -IssueNumber 451 -Title 'Docs'
        Set-LogTask gh-450 -Status Active
        Set-LogWorker w1 -Status Spawned -TaskId gh-450 -Pid 101 -LogFile ./w1.jsonl
        Set-LogWorker w2 -Status Spawned -TaskId gh-450 -Pid 102
        Set-LogWorker w3 -Status Spawned -TaskId gh-451 -Pid 103
        Set-LogWorker w1 -Status Failed -ExitCode 1
        Set-LogWorker w2 -Status Completed -ExitCode 0
        Set-LogTask gh-450 -Status Completed -PrNumber 99
        Set-LogTask gh-451 -Status Active
        """;

    [Fact]
    public void A_session_with_two_tasks_and_three_workers_reads_back_with_calls_and_tokens_per_worker()
    {
        using var session = new ModuleSession();
        session.Run("$ExecutionContext.SessionState.Path.SetLocation($args[0]) | Out-Null", session.Folder.Path).AssertNoErrors();
        session.Run(Scenario).AssertNoErrors();
        AddApiCall(session.StorePath, "w1", 60, 40);
        AddApiCall(session.StorePath, "w1", 30, 20);
        AddApiCall(session.StorePath, "w2", 700, 300);

        var workers = session.Run("Get-LogWorker -SessionId coord-1").AssertNoErrors().Output;
        Assert.Equal(["w1", "w2", "w3"], workers.Select(w => Prop(w, "WorkerId")));
        Assert.Equal([2L, 1L, 0L], workers.Select(w => Prop(w, "ApiCalls")));
        Assert.Equal([150L, 1000L, 0L], workers.Select(w => Prop(w, "TokensTotal")));
        Assert.Equal(["Failed", "Completed", "Spawned"], workers.Select(w => Prop(w, "Status")!.ToString()));
        Assert.Equal([1L, 0L, null], workers.Select(w => Prop(w, "ExitCode")));
        Assert.Equal(101L, Prop(workers[0], "ProcessId"));
        Assert.Equal(session.Folder.Combine("w1.jsonl"), Prop(workers[0], "LogFile"));
        Assert.IsType<DateTimeOffset>(Prop(workers[0], "CompletedAt"));
        Assert.Null(Prop(workers[2], "CompletedAt"));
        Assert.Equal("LogTools.Engine.Sessions.LogWorker", workers[0].TypeNames[0]);

        var done = session.Run("Get-LogTask -CompletedToday").AssertNoErrors().Output.Single();
        Assert.Equal("gh-450", Prop(done, "TaskId"));
        Assert.Equal(99L, Prop(done, "PrNumber"));
        Assert.Equal(450L, Prop(done, "IssueNumber"));
        Assert.Equal("coord-1", Prop(done, "SessionId"));
        var duration = Assert.IsType<TimeSpan>(Prop(done, "Duration"));
        Assert.Equal((DateTimeOffset)Prop(done, "CompletedAt")! - (DateTimeOffset)Prop(done, "StartedAt")!, duration);

        var active = session.Run("Get-LogTask -Status Active").AssertNoErrors().Output.Single();
        Assert.Equal("gh-451", Prop(active, "TaskId"));
        Assert.True((TimeSpan)Prop(active, "Duration")! >= TimeSpan.Zero);
        var detectedOnly = session.Run("Set-LogTask gh-452 -Status Detected -PassThru").AssertNoErrors().Output.Single();
        Assert.Null(Prop(detectedOnly, "Duration"));

        var live = session.Run("Get-LogSession -Active").AssertNoErrors().Output.Single();
        Assert.Equal("coord-1", Prop(live, "SessionId"));
        Assert.Equal("""{"model":"opus","jobs":2,"repos":["a","b"]}""", Prop(live, "ConfigJson"));
        Assert.Equal(Environment.MachineName, Prop(live, "HostName"));
        Assert.Equal(Environment.UserName, Prop(live, "UserName"));
        Assert.Equal(session.Folder.Path, Prop(live, "WorkingDirectory"));
    }

    [Fact]
    public void Events_for_one_task_come_back_in_time_order_and_filter_by_severity_type_and_window()
    {
        using var session = new ModuleSession();
        session.Run("""
            Start-LogSession | Out-Null
            $now = [datetime]::Now
            Write-LogEvent decision 'third' -ContextType task -ContextId gh-1 -Timestamp $now.AddMinutes(-1)
            Write-LogEvent trigger 'first' -ContextType task -ContextId gh-1 -Timestamp $now.AddMinutes(-30) -Severity Debug
            Write-LogEvent error 'other task' -ContextType task -ContextId gh-2 -Timestamp $now.AddMinutes(-20) -Severity Error
            Write-LogEvent worktree_op 'second' -ContextType task -ContextId gh-1 -Timestamp $now.AddMinutes(-10) -Severity Warning -Details @{ path = '/wt/gh-1' }
            Write-LogEvent error 'old' -ContextType task -ContextId gh-1 -Timestamp $now.AddDays(-3) -Severity Critical
            """).AssertNoErrors();

        string[] Messages(string script) => session.Run(script).AssertNoErrors().Output.Select(e => (string)Prop(e, "Message")!).ToArray();

        Assert.Equal(["old", "first", "second", "third"], Messages("Get-LogEvent -ContextId gh-1"));
        Assert.Equal(["first", "second", "third"], Messages("Get-LogEvent -ContextId gh-1 -Last 24h"));
        Assert.Equal(["first", "other task", "second", "third"], Messages("Get-LogEvent -Last 2700s"));
        Assert.Equal(["second", "third"], Messages("Get-LogEvent -Last ([timespan]::FromMinutes(15))"));
        Assert.Equal(["old", "other task", "second"], Messages("Get-LogEvent -Severity Warning"));
        Assert.Equal(["old", "other task"], Messages("Get-LogEvent -Type error"));
        Assert.Equal(["first", "other task"], Messages("Get-LogEvent -After ([datetime]::Now.AddMinutes(-45)) -Before ([datetime]::Now.AddMinutes(-15))"));
        Assert.Equal(["third"], Messages("Get-LogEvent -Type decision, trigger -Severity Info"));

        var second = session.Run("Get-LogEvent -Type worktree_op").AssertNoErrors().Output.Single();
        Assert.Equal("""{"path":"/wt/gh-1"}""", Prop(second, "DetailsJson"));
        Assert.Equal("Warning", Prop(second, "Severity")!.ToString());
        Assert.IsType<DateTimeOffset>(Prop(second, "Timestamp"));

        var error = session.Run("Get-LogEvent -Last 'yesterday'").SingleError();
        Assert.Equal("InvalidTimeWindow,LogTools.Commands.GetLogEventCommand", error.FullyQualifiedErrorId);
        Assert.Equal("yesterday", error.TargetObject);
    }

    [Fact]
    public void Impossible_task_transitions_are_refused_naming_both_ends_and_nothing_changes()
    {
        using var session = new ModuleSession();
        session.Run(Scenario).AssertNoErrors();
        var before = session.Run("Get-LogTask gh-450").AssertNoErrors().Output.Single();

        var error = session.Run("Set-LogTask gh-450 -Status Active -Title 'changed'").SingleError();

        Assert.Equal("TaskTransitionInvalid,LogTools.Commands.SetLogTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal("gh-450", error.TargetObject);
        Assert.Contains("from Completed to Active", error.Exception.Message);
        var after = session.Run("Get-LogTask gh-450").AssertNoErrors().Output.Single();
        foreach (var name in new[] { "Status", "Title", "StartedAt", "CompletedAt" })
        {
            Assert.Equal(Prop(before, name), Prop(after, name));
        }

        session.Run("Set-LogTask gh-460 -Status Detected").AssertNoErrors();
        var skip = session.Run("Set-LogTask gh-460 -Status Completed").SingleError();
        Assert.Equal("TaskTransitionInvalid,LogTools.Commands.SetLogTaskCommand", skip.FullyQualifiedErrorId);
        Assert.Contains("from Detected to Completed", skip.Exception.Message);
        Assert.Equal("Detected", session.Run("(Get-LogTask gh-460).Status").Objects.Single().ToString());

        var worker = session.Run("Set-LogWorker w2 -Status Failed").SingleError();
        Assert.Equal("WorkerTransitionInvalid,LogTools.Commands.SetLogWorkerCommand", worker.FullyQualifiedErrorId);
        Assert.Contains("from Completed to Failed", worker.Exception.Message);
    }

    [Fact]
    public void Output_objects_bind_to_the_next_cmdlet_by_property_name()
    {
        using var session = new ModuleSession();
        session.Run(Scenario + "\nSet-LogTask gh-452 -Status Active").AssertNoErrors();

        session.Run("Get-LogTask -Status Active | Set-LogTask -Status Failed").AssertNoErrors();

        var failed = session.Run("Get-LogTask -Status Failed").AssertNoErrors().Output;
        Assert.Equal(["gh-451", "gh-452"], failed.Select(t => Prop(t, "TaskId")));
        Assert.All(failed, t => Assert.IsType<DateTimeOffset>(Prop(t, "FailedAt")));
        Assert.Equal(["w1", "w2"], session.Run("Get-LogTask gh-450 | Get-LogWorker").AssertNoErrors().Output.Select(w => Prop(w, "WorkerId")));
        Assert.Equal(["gh-450", "gh-451", "gh-452"], session.Run("Get-LogSession coord-1 | Get-LogTask").AssertNoErrors().Output.Select(t => Prop(t, "TaskId")));
        session.Run("Get-LogSession coord-1 | Stop-LogSession -ExitReason Signal").AssertNoErrors();
        Assert.Equal("Signal", session.Run("(Get-LogSession coord-1).ExitReason").Objects.Single().ToString());
    }

    [Fact]
    public void Start_and_stop_set_and_clear_the_current_session_and_a_second_stop_is_refused()
    {
        using var session = new ModuleSession();
        var started = session.Run("Start-LogSession").AssertNoErrors().Output.Single();
        var id = (string)Prop(started, "SessionId")!;
        Assert.Matches(@"^\d{8}T\d{6}Z-[0-9a-f]{6}$", id);
        Assert.Null(Prop(started, "EndedAt"));

        session.Run("Write-LogEvent note 'into the current session'").AssertNoErrors();
        var stopped = session.Run("Stop-LogSession -ExitReason Error -PassThru").AssertNoErrors().Output.Single();
        Assert.Equal("Error", Prop(stopped, "ExitReason")!.ToString());
        Assert.IsType<DateTimeOffset>(Prop(stopped, "EndedAt"));
        Assert.Equal(id, session.Run("(Get-LogEvent).SessionId").Objects.Single());

        var again = session.Run("Stop-LogSession -SessionId $args[0]", id).SingleError();
        Assert.Equal("SessionAlreadyStopped,LogTools.Commands.StopLogSessionCommand", again.FullyQualifiedErrorId);
        Assert.Equal(Prop(stopped, "EndedAt"), session.Run("(Get-LogSession $args[0]).EndedAt", id).Objects.Single());

        var none = session.Run("Write-LogEvent note 'no session now'").SingleError();
        Assert.Equal("NoCurrentSession,LogTools.Commands.WriteLogEventCommand", none.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, none.CategoryInfo.Category);
        Assert.Equal(1L, Count(session.StorePath, "events"));

        var duplicate = session.Run("Start-LogSession -SessionId $args[0]", id).SingleError();
        Assert.Equal("SessionExists,LogTools.Commands.StartLogSessionCommand", duplicate.FullyQualifiedErrorId);
        Assert.Empty(session.Run("Get-LogSession -Active").AssertNoErrors().Output);
        Assert.Single(session.Run("Get-LogSession -After ([datetime]::Now.AddMinutes(-5))").AssertNoErrors().Output);
        Assert.Empty(session.Run("Get-LogSession -Before ([datetime]::Now.AddMinutes(-5))").AssertNoErrors().Output);
    }

    [Fact]
    public void Start_LogSession_records_the_git_commit_of_the_current_location()
    {
        using var session = new ModuleSession();
        var repo = session.Folder.Combine("repo");
        Directory.CreateDirectory(Path.Combine(repo, ".git", "refs", "heads"));
        Directory.CreateDirectory(Path.Combine(repo, "src"));
        File.WriteAllText(Path.Combine(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Combine(repo, ".git", "refs", "heads", "main"), "0123456789abcdef0123456789abcdef01234567\n");

        var commit = session.Run("$ExecutionContext.SessionState.Path.SetLocation($args[0]) | Out-Null; (Start-LogSession).GitCommit", Path.Combine(repo, "src"))
            .AssertNoErrors().Objects.Single();

        Assert.Equal("0123456789abcdef0123456789abcdef01234567", commit);
    }

    [Fact]
    public void Unknown_ids_are_ObjectNotFound_errors_naming_the_id_and_nothing_is_stored()
    {
        using var session = new ModuleSession();
        session.Run(Scenario).AssertNoErrors();
        var tasks = Count(session.StorePath, "tasks");
        var workers = Count(session.StorePath, "workers");

        (string Script, string Id, string Target)[] cases =
        [
            ("Set-LogTask gh-9 -Status Detected -SessionId nope", "SessionNotFound", "nope"),
            ("Write-LogEvent note x -SessionId nope", "SessionNotFound", "nope"),
            ("Get-LogSession nope", "SessionNotFound", "nope"),
            ("Set-LogWorker w9 -Status Spawned -TaskId gh-nope", "TaskNotFound", "gh-nope"),
            ("Set-LogTask gh-nope -Title x", "TaskNotFound", "gh-nope"),
            ("Get-LogTask gh-nope", "TaskNotFound", "gh-nope"),
            ("Set-LogWorker w-nope -Status Completed", "WorkerNotFound", "w-nope"),
            ("Get-LogWorker w-nope", "WorkerNotFound", "w-nope"),
            ("Get-LogContent -WorkerId w-nope", "WorkerNotFound", "w-nope"),
        ];
        foreach (var (script, id, target) in cases)
        {
            var error = session.Run(script).SingleError();
            Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(target, error.TargetObject);
            Assert.Contains($"'{target}'", error.Exception.Message);
        }

        Assert.Equal(tasks, Count(session.StorePath, "tasks"));
        Assert.Equal(workers, Count(session.StorePath, "workers"));
        Assert.Equal(0L, Count(session.StorePath, "events"));
    }

    [Fact]
    public void Future_unparseable_and_unserialisable_input_is_refused_and_nothing_is_stored()
    {
        using var session = new ModuleSession();
        session.Run("Start-LogSession | Out-Null; Set-LogTask t1 -Status Detected").AssertNoErrors();

        var future = session.Run("Write-LogEvent note x -Timestamp ([datetime]::Now.AddHours(1))").SingleError();
        Assert.Equal("TimestampOutOfRange,LogTools.Commands.WriteLogEventCommand", future.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, future.CategoryInfo.Category);
        Assert.IsType<DateTimeOffset>(future.TargetObject);
        var taskFuture = session.Run("Set-LogTask t1 -Status Active -Timestamp ([datetime]::Now.AddDays(2))").SingleError();
        Assert.StartsWith("TimestampOutOfRange,", taskFuture.FullyQualifiedErrorId);
        Assert.Equal("Detected", session.Run("(Get-LogTask t1).Status").Objects.Single().ToString());
        session.Run("Write-LogEvent note 'small skew is fine' -Timestamp ([datetime]::Now.AddMinutes(2))").AssertNoErrors();

        var unparseable = session.Run("Write-LogEvent note x -Timestamp 'not-a-date'").SingleError();
        Assert.IsType<ParameterBindingException>(unparseable.Exception);
        Assert.Contains("not-a-date", unparseable.Exception.Message);

        var script = session.Run("Write-LogEvent note x -Details @{ run = { Get-Date } }").SingleError();
        Assert.Equal("DetailsNotSerializable,LogTools.Commands.WriteLogEventCommand", script.FullyQualifiedErrorId);
        Assert.IsType<ScriptBlock>(script.TargetObject);
        Assert.Contains("$.run", script.Exception.Message);

        var cycle = session.Run("$h = @{ name = 'loop' }; $h.self = $h; Write-LogEvent note x -Details @{ outer = $h }").SingleError();
        Assert.Equal("DetailsNotSerializable,LogTools.Commands.WriteLogEventCommand", cycle.FullyQualifiedErrorId);
        Assert.Contains("cycle", cycle.Exception.Message);

        var config = session.Run("Start-LogSession -Config @{ callback = { 1 } }").SingleError();
        Assert.Equal("ConfigNotSerializable,LogTools.Commands.StartLogSessionCommand", config.FullyQualifiedErrorId);

        Assert.Equal(1L, Count(session.StorePath, "events"));
        Assert.Equal(1L, Count(session.StorePath, "sessions"));
    }

    [Fact]
    public void WhatIf_changes_nothing()
    {
        using var session = new ModuleSession();
        session.Run(Scenario).AssertNoErrors();
        string[] queries =
        [
            "SELECT group_concat(session_id || coalesce(ended_at, '-'), ',') FROM sessions",
            "SELECT group_concat(task_id || status || coalesce(pr_number, '-'), ',') FROM tasks",
            "SELECT group_concat(worker_id || status || coalesce(exit_code, '-'), ',') FROM workers",
            "SELECT count(*) FROM events",
        ];
        string Snapshot() => string.Join('|', queries.Select(q => Convert.ToString(Scalar(session.StorePath, q))));
        var before = Snapshot();

        session.Run("""
            Stop-LogSession -WhatIf
            Set-LogTask gh-451 -Status Completed -PrNumber 7 -WhatIf
            Set-LogTask gh-999 -Status Detected -WhatIf
            Set-LogWorker w3 -Status Completed -ExitCode 0 -WhatIf
            Set-LogWorker w9 -Status Spawned -WhatIf
            Write-LogEvent note 'not written' -WhatIf
            Start-LogSession -SessionId other -WhatIf
            """).AssertNoErrors();

        Assert.Equal(before, Snapshot());
        Assert.Equal("coord-1", session.Run("(Get-LogSession -Active).SessionId").Objects.Single());
    }
}
