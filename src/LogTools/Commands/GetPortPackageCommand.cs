using System.Management.Automation;
using LogTools.Engine.Ports;

namespace LogTools.Commands;

/// <summary>Get-PortPackage: the package index, the package of each port's latest successful build.</summary>
[Cmdlet(VerbsCommon.Get, "PortPackage")]
[OutputType("LogTools.Engine.Ports.PortPackage")]
public sealed class GetPortPackageCommand : StoreCmdlet
{
    /// <summary>A port's origin, or a pattern with wildcards.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Origin { get; set; }

    protected override void Process() => PortQueries.Packages(OpenStore(), Origin, WriteObject);
}
