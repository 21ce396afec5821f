using System.Management.Automation;
using LogTools.Engine.Ports;

namespace LogTools.Commands;

/// <summary>Get-PortBuild: the build records, newest first, by origin, status and start time.</summary>
[Cmdlet(VerbsCommon.Get, "PortBuild")]
[OutputType("LogTools.Engine.Ports.PortBuildRecord")]
public sealed class GetPortBuildCommand : StoreCmdlet
{
    /// <summary>A port's origin, or a pattern with wildcards.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Origin { get; set; }

    [Parameter]
    [ValidateSet("Running", "Success", "Failed", "Abandoned")]
    public string? Status { get; set; }

    /// <summary>Only the newest N records.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Last { get; set; }

    /// <summary>Only builds started at or after this time.</summary>
    [Parameter]
    public DateTime? Since { get; set; }

    protected override void Process() => PortQueries.Builds(
        OpenStore(), Origin, Status is null ? null : Enum.Parse<PortRecordStatus>(Status, ignoreCase: true),
        Since is { } since ? new DateTimeOffset(since) : null, Last, WriteObject);
}
