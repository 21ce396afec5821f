using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogSession: sessions by id or pattern, still running, started today or in a time range.</summary>
[Cmdlet(VerbsCommon.Get, "LogSession", DefaultParameterSetName = RangeSet)]
[OutputType("LogTools.Engine.Sessions.LogSession")]
public sealed class GetLogSessionCommand : TimeWindowCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    [SupportsWildcards]
    public string? SessionId { get; set; }

    /// <summary>Only sessions still running: not stopped, and not abandoned by their process.</summary>
    [Parameter]
    public SwitchParameter Active { get; set; }

    /// <summary>Only sessions started today (local calendar).</summary>
    [Parameter(ParameterSetName = TodaySet, Mandatory = true)]
    public override SwitchParameter Today { get; set; }

    protected override void Process() => ForInput(() =>
        new SessionLedger(OpenStore()).Find(SessionId, Active, Today, ToOffset(Since), ToOffset(Until), WriteObject));
}
