using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Remove-LogRun: retention for runs; exports each run (log and metadata) before deleting it when asked.</summary>
[Cmdlet(VerbsCommon.Remove, "LogRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LogTools.Engine.Runs.LogRun")]
public sealed class RemoveLogRunCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>Runs completed longer ago than this: 90d (the default), 12h, 2w, or a TimeSpan.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string OlderThan { get; set; } = "90d";

    [Parameter]
    [ValidateSet("Succeeded", "Failed", "Cancelled")]
    public string[]? Status { get; set; }

    /// <summary>A folder that receives &lt;run_id&gt;/events.ndjson[.gz] and &lt;run_id&gt;/run.json before each run is deleted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExportPath { get; set; }

    /// <summary>Write each removed run.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var age = TimeWindow.Parse(OlderThan);
        var export = ExportPath is null ? null : ResolveUserPath(ExportPath);
        WithProgress("Remove-LogRun", $"Removing runs completed more than {OlderThan} ago", report =>
            new RunMaintenance(OpenStore()).Remove(
                age,
                Status?.Select(ParseEnum<RunStatus>).ToList(),
                export,
                run => ShouldProcess(run.RunId, export is null ? "Remove the run and its log" : $"Export the run to {export}, then remove it and its log"),
                folder => ShouldProcess(folder, "Remove the folder of a run whose removal was interrupted"),
                run =>
                {
                    report(run.RunId);
                    if (PassThru)
                    {
                        WriteObject(run);
                    }
                }));
    });
}
