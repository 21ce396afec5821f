using System.Management.Automation;
using LogTools.Engine.Server;

namespace LogTools.Commands;

/// <summary>Stop-LogServer: stops this session's log servers (all, or those on -Port), ending their open streams.</summary>
[Cmdlet(VerbsLifecycle.Stop, "LogServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class StopLogServerCommand : LogToolsCmdlet
{
    /// <summary>The servers to stop, by port; all of this session's when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public int[]? Port { get; set; }

    protected override void Process()
    {
        foreach (var server in GetLogServerCommand.Select(this, Port))
        {
            if (ShouldProcess(server.Url, "Stop the log server"))
            {
                server.Dispose();
            }
        }
    }
}
