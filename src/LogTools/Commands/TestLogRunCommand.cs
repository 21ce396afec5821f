using System.Management.Automation;
using LogTools.Engine.Runs;

namespace LogTools.Commands;

/// <summary>Test-LogRun: recomputes completed runs' BLAKE3 and sequence continuity and reports tampering or truncation.</summary>
[Cmdlet(VerbsDiagnostic.Test, "LogRun")]
[OutputType("LogTools.Engine.Runs.RunCheck")]
public sealed class TestLogRunCommand : TelemetryCmdlet
{
    /// <summary>A run id, or a pattern with wildcards; all completed runs when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kind { get; set; }

    protected override void Process() => ForInput(() =>
        new RunMaintenance(OpenStore()).Verify(new RunQuery { RunId = RunId, Kind = Kind }, WriteObject, CancellationToken));
}
