using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Mirror;

namespace LogTools.Commands;

/// <summary>
/// Test-LogMirror: re-hashes every pond copy against its recorded BLAKE3 (and with -IncludeHost, the host files),
/// returns one verdict per file, and can write a manifest that b3sum --check accepts. Scripts act on Status, on
/// -Quiet's $true (every file Ok) / $false, or on the MirrorCheckFailed errors of -ErrorOnMismatch.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LogMirror", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Mirror.MirrorCheck", "System.Boolean")]
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

    /// <summary>Write only $true (every selected file Ok) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Also write a MirrorCheckFailed error for every file that is not Ok.</summary>
    [Parameter]
    public SwitchParameter ErrorOnMismatch { get; set; }

    protected override void Process()
    {
        var files = SelectedFiles().ToList();
        var progress = new ProgressRecord(2, "Test-LogMirror", "Hashing");
        var throttle = new ProgressThrottle(TimeSpan.FromMilliseconds(200));
        var allOk = true;
        for (var i = 0; i < files.Count; i++)
        {
            var number = i;
            var check = MirrorCatalog.Check(files[i], IncludeHost, p =>
            {
                if (throttle.Due(final: p.Done >= p.Total))
                {
                    progress.StatusDescription = $"{p.Source}/{p.Name}: {Display.Bytes(p.Done)} of {Display.Bytes(p.Total)}";
                    progress.PercentComplete = number * 100 / files.Count;
                    WriteProgress(progress);
                }
            });
            if (check.Status != MirrorCheckStatus.Ok)
            {
                allOk = false;
                WriteWarning($"{check.Source}/{check.Name}: {check.Status}: {check.Message}");
                if (ErrorOnMismatch)
                {
                    WriteError(new ErrorRecord(
                        new InvalidDataException($"The mirrored file '{check.Source}/{check.Name}' failed its check ({check.Status}): {check.Message}"),
                        "MirrorCheckFailed", ErrorCategory.InvalidData, check));
                }
            }

            if (!Quiet)
            {
                WriteObject(check);
            }
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        if (Quiet)
        {
            WriteObject(allOk);
        }

        if (ManifestPath is not null && ShouldProcess(ResolveUserPath(ManifestPath), $"Write a b3sum manifest of {files.Count} mirrored file(s)"))
        {
            ForInput(() => MirrorCatalog.WriteManifest(ResolveUserPath(ManifestPath), files));
        }
    }
}
