using System.Management.Automation;
using LogTools.Engine.Ports;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Get-PortStatus: per port of a tree, whether it is up to date, its latest build, and the median duration of its builds.</summary>
[Cmdlet(VerbsCommon.Get, "PortStatus")]
[OutputType("LogTools.Engine.Ports.PortState")]
public sealed class GetPortStatusCommand : StoreCmdlet
{
    /// <summary>The ports tree.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string PortsPath { get; set; } = string.Empty;

    /// <summary>Origins to report, with their dependencies; the whole tree when omitted.</summary>
    [Parameter(Position = 1)]
    [Alias("Origin")]
    [ValidateNotNullOrEmpty]
    public string[]? Port { get; set; }

    protected override void Process()
    {
        var portsPath = ResolveUserPath(PortsPath);
        var storePath = LocateStore(Store).Path;
        var store = LogStore.Exists(storePath) ? OpenStore() : null;
        RunEngine(sink => PortQueries.States(store, portsPath, Port ?? [], sink));
    }
}
