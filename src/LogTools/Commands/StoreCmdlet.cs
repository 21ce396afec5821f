using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>A cmdlet that works on a store: it takes -Store and opens the store lazily, when it first needs it.</summary>
public abstract class StoreCmdlet : LogToolsCmdlet
{
    private LogStore? store;
    private RunRecorder? recorder;
    private bool recorderChosen;

    /// <summary>The store folder for this command; overrides the session's, $env:LOGTOOLS_STORE and the defaults.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>
    /// What this command does to the store: readers never create or migrate one. A writer under -WhatIf
    /// opens the store as a reader, since -WhatIf changes nothing, not even by creating the store.
    /// </summary>
    protected virtual StoreAccess Access => StoreAccess.Read;

    /// <summary>
    /// The kind of run this command records itself as (sync, import), or null for a command that is not a run. Such a
    /// command is one run per invocation, started when the store is first opened for writing (never under -WhatIf):
    /// what it reports through <see cref="Sink"/> becomes the run's events, and its outputs carry the run's id.
    /// </summary>
    protected virtual string? RunKind => null;

    protected override IEngineSink Sink => Recorder ?? base.Sink;

    private RunRecorder? Recorder
    {
        get
        {
            if (!recorderChosen)
            {
                recorderChosen = true;
                recorder = RunKind is { } kind && !WhatIfRequested() ? new RunRecorder(base.Sink, kind) : null;
            }

            return recorder;
        }
    }

    /// <summary>The open store; a store that cannot be used stops the command with a clear error.</summary>
    protected LogStore OpenStore() => Open(orNone: false)!;

    /// <summary>
    /// For a command that creates the store when it writes, under -WhatIf, or a reader to which no store reads as an empty one:
    /// the existing store, or null when there is none yet (a server is asked, and nothing is created on it), so the plan or
    /// the reading starts from an empty store. A writer not under -WhatIf gets <see cref="OpenStore"/>.
    /// </summary>
    protected LogStore? OpenStoreIfExists() => Open(orNone: true);

    private LogStore? Open(bool orNone)
    {
        if (store is null)
        {
            var location = LocateStore(Store);
            var access = Access == StoreAccess.Write && WhatIfRequested() ? StoreAccess.Read : Access;
            WriteVerbose($"Store: {location.Path} ({location.Detail}), opened for {access}");
            var password = SessionStoreChoice.PasswordFor(location.Path);
            store = orNone && access != StoreAccess.Write
                ? MustSucceed(() => LogStore.OpenIfExists(location.Path, access, password))
                : MustSucceed(() => LogStore.Open(location.Path, access, password: password));
            if (store is not null && access == StoreAccess.Write)
            {
                Recorder?.Attach(store);
            }
        }

        return store;
    }

    /// <summary>Completes the run this command recorded: failed when an input failed or the command was ended by an error, cancelled when stopped.</summary>
    protected override void Finish(bool stopped, Exception? failure)
    {
        if (recorder is null)
        {
            return;
        }

        var run = recorder;
        recorder = null;
        run.Complete(stopped, failure);
    }

    /// <summary>
    /// Runs engine work that reports the item it is on: each report becomes the progress bar's current operation,
    /// and the bar is closed however the work ends.
    /// </summary>
    protected void WithProgress(string activity, string status, Action<Action<string>> work)
    {
        try
        {
            // A record per report: a host that keeps the records (a runspace's progress stream) keeps each one as it was.
            work(item => WriteProgress(new ProgressRecord(1, activity, status) { CurrentOperation = item }));
        }
        finally
        {
            WriteProgress(new ProgressRecord(1, activity, status) { RecordType = ProgressRecordType.Completed });
        }
    }

    /// <summary>
    /// Asks ShouldProcess for a copy of the store (Backup-LogStore, Copy-LogStore), naming what <paramref name="plan"/> would
    /// copy: the database with its size, and the content folders. Making the plan checked the destination, so -WhatIf and
    /// -Confirm have already refused what the copy would; the copy checks again, as the destination may change while -Confirm waits.
    /// </summary>
    protected bool ShouldCopyStore(string target, string action, StoreCopyPlan plan)
    {
        var database = plan.DatabaseBytes is { } bytes ? $"'{plan.Database}' ({Display.Bytes(bytes)})" : $"'{plan.Database}'";
        var content = plan.Content == StoreContentMode.InPlace ? $"; the content files stay in '{plan.ContentRoot}'"
            : plan.ContentFolders.Count == 0 ? "; no content folders yet"
            : " and the content folders " + string.Join(", ", plan.ContentFolders);
        return ShouldProcess(target, $"{action} {database}{content}");
    }

    /// <summary>
    /// Whether asking ShouldProcess can do anything: say what -WhatIf (or $WhatIfPreference) would do, prompt under
    /// -Confirm (or a $ConfirmPreference at or below this command's impact) or -Debug, or write its line under -Verbose
    /// (the parameter: PowerShell writes it for that alone). Otherwise it answers yes to every item, after formatting a
    /// message each time, so a command that asks per item may skip asking.
    /// </summary>
    protected bool ShouldProcessCanAct()
    {
        var bound = MyInvocation.BoundParameters;
        var declared = (Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute)) as CmdletAttribute)?.ConfirmImpact ?? ConfirmImpact.Medium;
        var confirm = bound.TryGetValue("Confirm", out var given)
            ? LanguagePrimitives.IsTrue(given)
            : !LanguagePrimitives.TryConvertTo<ConfirmImpact>(SessionState.PSVariable.GetValue("ConfirmPreference"), out var impact) || (impact != ConfirmImpact.None && impact <= declared);
        bool Switch(string name) => bound.TryGetValue(name, out var value) && LanguagePrimitives.IsTrue(value);
        return WhatIfRequested() || confirm || Switch("Verbose") || Switch("Debug");
    }

    /// <summary>Whether this command runs under -WhatIf, given or inherited from $WhatIfPreference.</summary>
    protected bool WhatIfRequested() => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
        ? LanguagePrimitives.IsTrue(value)
        : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
}
