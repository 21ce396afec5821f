using System.Management.Automation;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Start-LogRun: records a new run (a CI job, a data run, a build) and makes it the current run of this PowerShell session.</summary>
[Cmdlet(VerbsLifecycle.Start, "LogRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Runs.LogRun")]
public sealed class StartLogRunCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("WorkspaceId")]
    [ValidateNotNullOrEmpty]
    public string? Workspace { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ConfigurationId")]
    [ValidateNotNullOrEmpty]
    public string? Configuration { get; set; }

    /// <summary>What kind of run: user (the default), sync, portbuild, import, or your own word.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Kind { get; set; } = "user";

    [Parameter]
    [ValidateSet("Queued", "Running")]
    public string Status { get; set; } = "Running";

    /// <summary>The size cap of the run's log in bytes (256MB by default): beyond it the head and a rolling tail are kept.</summary>
    [Parameter]
    public long MaxLogSize { get; set; } = RunLayout.DefaultMaxLogBytes;

    protected override void Process() => ForInput(() =>
    {
        if (ShouldProcess($"a new {Kind} run", "Start a run"))
        {
            var run = new RunLedger(OpenStore()).Start(Workspace, Configuration, Kind, ParseEnum<RunStatus>(Status), MaxLogSize);
            CurrentLogRun.Set(run.RunId);
            WriteObject(run);
        }
    });
}
