using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Mirror;

namespace LogTools.Commands;

/// <summary>
/// Test-LogMirror: re-hashes every pond copy against its recorded BLAKE3 (and with -IncludeHost, the host files),
/// returns one verdict per file, and can write a manifest that b3sum --check accepts.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LogMirror")]
[OutputType("LogTools.Engine.Mirror.MirrorCheck")]
public sealed class TestLogMirrorCommand : MirrorSelectionCmdlet
{
    /// <summary>Also hash the host files (an archive must be unchanged; the active file must still start with the mirrored bytes).</summary>
    [Parameter]
    [Alias("Host")]
    public SwitchParameter IncludeHost { get; set; }

    /// <summary>Write the recorded digests of the selected files to this file, in b3sum's format.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManifestPath { get; set; }

    protected override void ProcessRecord()
    {
        var files = SelectedFiles().ToList();
        var progress = new ProgressRecord(2, "Test-LogMirror", "Hashing");
        for (var i = 0; i < files.Count; i++)
        {
            progress.StatusDescription = $"{files[i].Source}/{files[i].Name}";
            progress.PercentComplete = i * 100 / files.Count;
            WriteProgress(progress);
            var check = MirrorCatalog.Check(files[i], IncludeHost);
            if (check.Status != MirrorCheckStatus.Ok)
            {
                WriteWarning($"{check.Source}/{check.Name}: {check.Status}: {check.Message}");
            }

            WriteObject(check);
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        if (ManifestPath is not null)
        {
            try
            {
                MirrorCatalog.WriteManifest(ResolveUserPath(ManifestPath), files);
            }
            catch (LogToolsException ex)
            {
                WriteEngineError(ex);
            }
        }
    }
}
