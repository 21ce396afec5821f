using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Server;

namespace LogTools.Commands;

/// <summary>Start-LogServer: serves the store's runs (API, SSE streams, the live page) over HTTP, read-only, in the background or with -Wait.</summary>
[Cmdlet(VerbsLifecycle.Start, "LogServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Server.LogServer")]
public sealed class StartLogServerCommand : StoreCmdlet
{
    [Parameter(Position = 0)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>The address to listen on: this machine only (127.0.0.1) unless another is asked for.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Serve in the foreground until Ctrl+C (for a service unit), then stop.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    protected override void End()
    {
        if (!LogServer.IsLoopback(ListenAddress))
        {
            WriteWarning($"Listening on {ListenAddress}: other machines can read this store's runs and costs, without authentication. Use 127.0.0.1 to keep it to this machine.");
        }

        if (!ShouldProcess($"http://{ListenAddress}:{Port}/", "Start the log server"))
        {
            return;
        }

        var server = LogServer.Start(OpenStore(), ListenAddress, Port);
        WriteObject(server);
        if (Wait)
        {
            try
            {
                server.Wait(CancellationToken);
            }
            finally
            {
                server.Dispose();
            }
        }
    }
}
