using System.Management.Automation;

namespace LogTools.Commands;

/// <summary>What the ingest readers share: a run (the current run when absent) and a phase to narrow to.</summary>
public abstract class IngestQueryCmdlet : TelemetryCmdlet
{
    /// <summary>A run id; the current run (Start-LogRun) when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Phase { get; set; }

    /// <summary>-RunId, or the current run, or null (every run, for the commands that allow it).</summary>
    protected string? TargetRun => RunId ?? CurrentLogRun.Get();
}
