using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Compress-LogRun: gzips the logs of runs completed some time ago, verified before the plain file goes.</summary>
[Cmdlet(VerbsData.Compress, "LogRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Runs.LogRun")]
public sealed class CompressLogRunCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>Runs completed longer ago than this: 7d (the default), 12h, 2w, or a TimeSpan.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string OlderThan { get; set; } = "7d";

    protected override void Process() => ForInput(() =>
    {
        var age = TimeWindow.Parse(OlderThan);
        WithProgress("Compress-LogRun", $"Compressing logs of runs completed more than {OlderThan} ago", report =>
            new RunMaintenance(OpenStore()).Compress(
                age,
                run => ShouldProcess(run.EventsPath, "Compress the run log to .gz"),
                run =>
                {
                    report(run.RunId);
                    WriteObject(run);
                },
                WriteEngineError,
                CancellationToken));
    });
}
