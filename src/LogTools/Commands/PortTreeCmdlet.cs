using System.Management.Automation;

namespace LogTools.Commands;

/// <summary>A cmdlet over a ports tree: -PortsPath and the -Port origins to take (with their dependencies), or all.</summary>
public abstract class PortTreeCmdlet : StoreCmdlet
{
    /// <summary>The ports tree: one folder per port (such as editors/vim), each with a port.yml.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string PortsPath { get; set; } = string.Empty;

    /// <summary>Origins to take, with their dependencies; the whole tree when omitted.</summary>
    [Parameter(Position = 1)]
    [Alias("Origin")]
    [ValidateNotNullOrEmpty]
    public string[]? Port { get; set; }
}
