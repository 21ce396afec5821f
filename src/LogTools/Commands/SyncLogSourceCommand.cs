using System.Diagnostics;
using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Mirror;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Sync-LogSource: mirrors one or more log sources (archives plus one active file) into the store's pond,
/// copying only what is new and verifying by BLAKE3. -WhatIf plans every file action and writes nothing.
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

    [Parameter(ParameterSetName = SettingsSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

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
        foreach (var config in Sources())
        {
            var target = config.ConfigPath ?? config.Name;
            try
            {
                var action = $"Sync log source '{config.Name}' ({target}) into pond path '{config.PondPath}'.";
                if (ShouldProcess(action, action + " Continue?", "Sync-LogSource", out var reason))
                {
                    Sync(config, OpenStore().Path, OpenStore(), whatIf: false);
                }
                else if (reason == ShouldProcessReason.WhatIf)
                {
                    // Plan from the recorded state without creating anything: a store that does not exist yet plans from empty.
                    var location = LocateStore(Store);
                    var existing = File.Exists(Path.Combine(location.Path, LogStore.DatabaseFileName)) ? LogStore.Open(location.Path, StoreAccess.Read) : null;
                    Sync(config, location.Path, existing, whatIf: true);
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
                config = MirrorSourceConfig.Create(Name, ArchivedPattern, ActivePattern, PondPath, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
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

    private void Sync(MirrorSourceConfig config, string storePath, LogStore? store, bool whatIf)
    {
        var clock = Stopwatch.StartNew();
        var lastDraw = TimeSpan.MinValue;
        var progress = new ProgressRecord(1, $"Sync-LogSource {config.Name}", "Copying");
        var options = new MirrorSyncOptions
        {
            WhatIf = whatIf,
            Verify = Verify,
            LockTimeout = TimeSpan.FromSeconds(LockTimeout),
            Warning = WriteWarning,
            Verbose = WriteVerbose,
            Error = WriteEngineError,
            Progress = p =>
            {
                if (p.Total < ProgressThreshold || (p.Done < p.Total && clock.Elapsed - lastDraw < TimeSpan.FromMilliseconds(200)))
                {
                    return;
                }

                lastDraw = clock.Elapsed;
                progress.StatusDescription = $"{p.Name}: {LogTools.Display.Bytes(p.Done)} of {LogTools.Display.Bytes(p.Total)}";
                progress.PercentComplete = (int)(p.Done * 100 / p.Total);
                progress.RecordType = p.Done < p.Total ? ProgressRecordType.Processing : ProgressRecordType.Completed;
                WriteProgress(progress);
            },
        };

        foreach (var result in MirrorSync.Run(storePath, store, config, options))
        {
            if (whatIf)
            {
                ShouldProcess(result.PondPath, $"{result.Action} {result.Kind.ToString().ToLowerInvariant()} file ({result.BytesCopied} bytes to copy){(result.Message is null ? string.Empty : ": " + result.Message)}");
            }

            WriteObject(result);
        }
    }
}
