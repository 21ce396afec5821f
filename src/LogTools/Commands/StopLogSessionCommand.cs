using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Stop-LogSession: stamps a session's end and exit reason; a session already stopped is refused.</summary>
[Cmdlet(VerbsLifecycle.Stop, "LogSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.LogSession")]
public sealed class StopLogSessionCommand : TelemetryCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>The session to stop; the current session when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    [Parameter]
    [ValidateSet("Normal", "Error", "Signal")]
    public string ExitReason { get; set; } = "Normal";

    /// <summary>Write the stopped session.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var id = SessionLedger.Require(SessionId ?? CurrentSessionId);
        if (ShouldProcess(id, $"Stop the LogTools session ({ExitReason})"))
        {
            var session = new SessionLedger(OpenStore()).Stop(id, ParseEnum<SessionExitReason>(ExitReason));
            if (CurrentSessionId == id)
            {
                CurrentLogSession.Set(null);
            }

            if (PassThru)
            {
                WriteObject(session);
            }
        }
    });
}
