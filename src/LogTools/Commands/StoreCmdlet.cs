using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>A cmdlet that works on a store: it takes -Store and opens the store lazily, when it first needs it.</summary>
public abstract class StoreCmdlet : LogToolsCmdlet
{
    private LogStore? store;

    /// <summary>The store folder for this command; overrides the session's, $env:LOGTOOLS_STORE and the defaults.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>
    /// What this command does to the store: readers never create or migrate one. A writer under -WhatIf
    /// opens the store as a reader, since -WhatIf changes nothing, not even by creating the store.
    /// </summary>
    protected virtual StoreAccess Access => StoreAccess.Read;

    /// <summary>The open store; a store that cannot be used stops the command with a clear error.</summary>
    protected LogStore OpenStore()
    {
        if (store is null)
        {
            var location = LocateStore(Store);
            var access = Access == StoreAccess.Write && WhatIfRequested() ? StoreAccess.Read : Access;
            WriteVerbose($"Store: {location.Path} ({location.Detail}), opened for {access}");
            try
            {
                store = LogStore.Open(location.Path, access);
            }
            catch (LogToolsException ex)
            {
                ThrowEngineError(ex);
            }
        }

        return store!;
    }

    /// <summary>
    /// Runs engine work that reports the item it is on: each report becomes the progress bar's current operation,
    /// the bar is closed however the work ends, and an engine failure stops the command.
    /// </summary>
    protected void WithProgress(string activity, string status, Action<Action<string>> work)
    {
        var progress = new ProgressRecord(1, activity, status);
        try
        {
            work(item =>
            {
                progress.CurrentOperation = item;
                WriteProgress(progress);
            });
        }
        catch (LogToolsException ex)
        {
            ThrowEngineError(ex);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    /// <summary>Whether this command runs under -WhatIf, given or inherited from $WhatIfPreference.</summary>
    protected bool WhatIfRequested() => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
        ? LanguagePrimitives.IsTrue(value)
        : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
}
