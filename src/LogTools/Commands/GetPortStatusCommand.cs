using System.Management.Automation;
using LogTools.Engine.Ports;

namespace LogTools.Commands;

/// <summary>Get-PortStatus: per port of a tree, whether it is up to date, its latest build, and the median duration of its builds.</summary>
[Cmdlet(VerbsCommon.Get, "PortStatus")]
[OutputType("LogTools.Engine.Ports.PortState")]
public sealed class GetPortStatusCommand : PortTreeCmdlet
{
    protected override void Process()
    {
        var portsPath = ResolveUserPath(PortsPath);
        // No store yet reads as no builds yet; a server is asked whether the store was ever written.
        var store = OpenStoreIfExists();
        RunEngine(sink => PortQueries.States(store, portsPath, Port ?? [], sink));
    }
}
