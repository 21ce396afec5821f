using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Server;

namespace LogTools.Commands;

/// <summary>Get-LogServer: the log servers this session runs: URL, port, start time, connected stream clients.</summary>
[Cmdlet(VerbsCommon.Get, "LogServer")]
[OutputType("LogTools.Engine.Server.LogServer")]
public sealed class GetLogServerCommand : LogToolsCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public int[]? Port { get; set; }

    /// <summary>The running servers on <paramref name="ports"/> (all when null); a port with none is reported on <paramref name="cmdlet"/>.</summary>
    internal static IEnumerable<LogServer> Select(LogToolsCmdlet cmdlet, int[]? ports)
    {
        var running = LogServer.Running;
        if (ports is null)
        {
            return running;
        }

        foreach (var port in ports.Where(p => running.All(s => s.Port != p)))
        {
            cmdlet.WriteError(ToErrorRecord(new LogToolsException(
                "ServerNotFound", ErrorKind.ObjectNotFound, port,
                $"No log server of this session listens on port {port}. Get-LogServer lists the running ones.")));
        }

        return running.Where(s => ports.Contains(s.Port));
    }

    protected override void Process() => WriteObject(Select(this, Port), enumerateCollection: true);
}
