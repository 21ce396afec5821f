using System.Collections;
using System.Management.Automation;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Start-LogSession: records a coordinator session and makes it the current one for this PowerShell session.</summary>
[Cmdlet(VerbsLifecycle.Start, "LogSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.LogSession")]
public sealed class StartLogSessionCommand : TelemetryCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>The id to give the session; a new sortable id when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? SessionId { get; set; }

    /// <summary>The coordinator's settings, stored as JSON.</summary>
    [Parameter]
    public IDictionary? Config { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var config = DetailsJson.Serialize(Config, nameof(Config), Unwrap);
        var directory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        if (ShouldProcess(SessionId ?? "a new session", "Start a LogTools session"))
        {
            var session = new SessionLedger(OpenStore()).Start(SessionId, directory, config);
            CurrentLogSession.Set(session.SessionId);
            WriteObject(session);
        }
    });
}
