using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Mirror;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Sync-LogSource: mirrors one or more log sources (archives plus one active file) into the store's pond,
/// copying only what is new and verifying by BLAKE3. -WhatIf writes one What if: line per file that would change, and nothing else.
/// </summary>
[Cmdlet(VerbsData.Sync, "LogSource", SupportsShouldProcess = true, DefaultParameterSetName = ConfigSet)]
[OutputType("LogTools.Engine.Mirror.MirrorResult")]
public sealed class SyncLogSourceCommand : StoreCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    private const string ConfigSet = "Config";
    private const string SettingsSet = "Settings";

    // Copies smaller than this finish too fast for a progress bar to help.
    private const long ProgressThreshold = 8 << 20;

    /// <summary>YAML source files (one source each).</summary>
    [Parameter(ParameterSetName = ConfigSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "Path")]
    [ValidateNotNullOrEmpty]
    public string[] Config { get; set; } = [];

    /// <summary>The source name; -Name is its old spelling (in the other mirror cmdlets -Name is a pond file's name).</summary>
    [Parameter(ParameterSetName = SettingsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    [Parameter(ParameterSetName = SettingsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string ArchivedPattern { get; set; } = string.Empty;

    [Parameter(ParameterSetName = SettingsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string ActivePattern { get; set; } = string.Empty;

    [Parameter(ParameterSetName = SettingsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string PondPath { get; set; } = string.Empty;

    /// <summary>Check the whole mirrored prefix of the active file and re-hash known archives.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    /// <summary>Seconds to wait for another sync of the same source.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int LockTimeout { get; set; } = 30;

    protected override void ProcessRecord()
    {
        // Under -WhatIf the plan's per-file lines are the whole answer: no line for the source, no result rows.
        var whatIf = WhatIfRequested();
        foreach (var config in Sources())
        {
            try
            {
                var action = $"Sync log source '{config.Name}' ({config.ConfigPath ?? config.Name}) into pond path '{config.PondPath}'.";
                if (whatIf || ShouldProcess(action, action + " Continue?", "Sync-LogSource"))
                {
                    Sync(config, whatIf);
                }
            }
            catch (LogToolsException ex)
            {
                WriteEngineError(ex);
            }
        }
    }

    private IEnumerable<MirrorSourceConfig> Sources()
    {
        if (ParameterSetName == SettingsSet)
        {
            MirrorSourceConfig? config = null;
            try
            {
                config = MirrorSourceConfig.Create(Source, ArchivedPattern, ActivePattern, PondPath, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            }
            catch (LogToolsException ex)
            {
                WriteEngineError(ex);
            }

            if (config is not null)
            {
                yield return config;
            }

            yield break;
        }

        foreach (var path in Config)
        {
            MirrorSourceConfig? config = null;
            try
            {
                config = MirrorSourceConfig.Load(ResolveUserPath(path));
            }
            catch (LogToolsException ex)
            {
                WriteEngineError(ex);
            }

            if (config is not null)
            {
                yield return config;
            }
        }
    }

    private void Sync(MirrorSourceConfig config, bool whatIf)
    {
        // The store is opened when it exists and created only when the sync has something to write; a plan never creates it.
        var location = LocateStore(Store);
        var existing = !File.Exists(Path.Combine(location.Path, LogStore.DatabaseFileName)) ? null : whatIf ? LogStore.Open(location.Path, StoreAccess.Read) : OpenStore();
        var throttle = new ProgressThrottle(TimeSpan.FromMilliseconds(200));
        var progress = new ProgressRecord(1, $"Sync-LogSource {config.Name}", "Copying");
        var options = new MirrorSyncOptions
        {
            WhatIf = whatIf,
            Verify = Verify,
            CancellationToken = CancellationToken,
            LockTimeout = TimeSpan.FromSeconds(LockTimeout),
            Warning = WriteWarning,
            Verbose = WriteVerbose,
            Error = WriteEngineError,
            NothingFound = WarnOrStop,
            Progress = p =>
            {
                if (p.Total < ProgressThreshold || !throttle.Due(final: p.Done >= p.Total))
                {
                    return;
                }

                progress.StatusDescription = $"{p.Name}: {LogTools.Display.Bytes(p.Done)} of {LogTools.Display.Bytes(p.Total)}";
                progress.PercentComplete = (int)(p.Done * 100 / p.Total);
                progress.RecordType = p.Done < p.Total ? ProgressRecordType.Processing : ProgressRecordType.Completed;
                WriteProgress(progress);
            },
        };

        Stoppable(() =>
        {
            foreach (var result in MirrorSync.Run(location.Path, existing, config, options, whatIf ? null : OpenStore))
            {
                if (!whatIf)
                {
                    WriteObject(result);
                }
                else if (MirrorPlan.Describe(result) is { } change)
                {
                    ShouldProcess(change, change, "Sync-LogSource");
                }
            }
        });
    }

    /// <summary>A source that found nothing: a warning on every run, an error that stops the command under -ErrorAction Stop.</summary>
    private void WarnOrStop(LogToolsException ex)
    {
        var action = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var value) ? value : GetVariableValue("ErrorActionPreference");
        if (LanguagePrimitives.TryConvertTo<ActionPreference>(action, out var preference) && preference == ActionPreference.Stop)
        {
            ThrowEngineError(ex);
        }

        WriteWarning(ex.Message);
    }
}
