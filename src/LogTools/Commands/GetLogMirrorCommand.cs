using System.Management.Automation;
using LogTools.Engine.Mirror;

namespace LogTools.Commands;

/// <summary>Get-LogMirror: the mirrored files recorded in the store, with their length, BLAKE3 and status. Reads nothing else.</summary>
[Cmdlet(VerbsCommon.Get, "LogMirror")]
[OutputType("LogTools.Engine.Mirror.MirrorFileInfo")]
public sealed class GetLogMirrorCommand : StoreCmdlet
{
    /// <summary>Source names (wildcards allowed); all sources when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Source { get; set; } = ["*"];

    /// <summary>Pond file names (wildcards allowed); all files when omitted.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = ["*"];

    protected override void ProcessRecord()
    {
        foreach (var file in MirrorFilter.Select(MirrorCatalog.Files(OpenStore()), Source, Name))
        {
            WriteObject(file);
        }
    }
}
