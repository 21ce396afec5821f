using System.Management.Automation;
using LogTools.Engine.Mirror;

namespace LogTools.Commands;

/// <summary>Get-LogMirror: the mirrored files recorded in the store, with their length, BLAKE3 and status. Reads nothing else.</summary>
[Cmdlet(VerbsCommon.Get, "LogMirror")]
[OutputType("LogTools.Engine.Mirror.MirrorFileInfo")]
public sealed class GetLogMirrorCommand : MirrorSelectionCmdlet
{
    protected override void Process()
    {
        foreach (var file in SelectedFiles())
        {
            WriteObject(file);
        }
    }
}
