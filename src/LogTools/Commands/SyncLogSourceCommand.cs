using System.Management.Automation;
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

    /// <summary>Each invocation is one run of kind sync: one mirror.file event per file action.</summary>
    protected override string? RunKind => "sync";

    private const string ConfigSet = "Config";
    private const string SettingsSet = "Settings";

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

    protected override void Process()
    {
        // Under -WhatIf the plan's per-file lines are the whole answer: no line for the source, no result rows.
        var whatIf = WhatIfRequested();
        foreach (var config in Sources())
        {
            ForInput(() =>
            {
                var action = $"Sync log source '{config.Name}' ({config.ConfigPath ?? config.Name}) into pond path '{config.PondPath}'.";
                if (whatIf || ShouldProcess(action, action + " Continue?", "Sync-LogSource"))
                {
                    var options = new MirrorSyncOptions { WhatIf = whatIf, Verify = Verify, LockTimeout = TimeSpan.FromSeconds(LockTimeout) };
                    var storePath = LocateStore(Store).Path;
                    RunEngine(sink => MirrorSync.Sync(storePath, () => OnPipeline(OpenStoreIfExists), config, options, sink));
                }
            });
        }
    }

    private IEnumerable<MirrorSourceConfig> Sources()
    {
        if (ParameterSetName == SettingsSet)
        {
            MirrorSourceConfig? config = null;
            ForInput(() => config = MirrorSourceConfig.Create(Source, ArchivedPattern, ActivePattern, PondPath, SessionState.Path.CurrentFileSystemLocation.ProviderPath));
            if (config is not null)
            {
                yield return config;
            }

            yield break;
        }

        foreach (var path in Config)
        {
            MirrorSourceConfig? config = null;
            ForInput(() => config = MirrorSourceConfig.Load(ResolveUserPath(path)));
            if (config is not null)
            {
                yield return config;
            }
        }
    }
}
