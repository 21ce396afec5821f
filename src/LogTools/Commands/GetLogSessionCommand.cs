using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogSession: sessions by id, still running, or started in a time range.</summary>
[Cmdlet(VerbsCommon.Get, "LogSession")]
[OutputType("LogTools.Engine.Sessions.LogSession")]
public sealed class GetLogSessionCommand : TelemetryCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    /// <summary>Only sessions not stopped yet.</summary>
    [Parameter]
    public SwitchParameter Active { get; set; }

    /// <summary>Only sessions started at or after this time.</summary>
    [Parameter]
    [Alias("Since")]
    public DateTime? After { get; set; }

    /// <summary>Only sessions started before this time.</summary>
    [Parameter]
    [Alias("Until")]
    public DateTime? Before { get; set; }

    protected override void ProcessRecord() => ForInput(() =>
        new SessionLedger(OpenStore()).Find(SessionId, Active, ToOffset(After), ToOffset(Before), WriteObject));
}
