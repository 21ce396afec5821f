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

    /// <summary>The open store; a store that cannot be used stops the command with a clear error.</summary>
    protected LogStore OpenStore()
    {
        if (store is null)
        {
            var location = LocateStore(Store);
            WriteVerbose($"Store: {location.Path} ({location.Detail})");
            try
            {
                store = LogStore.Open(location.Path);
            }
            catch (LogToolsException ex)
            {
                ThrowEngineError(ex);
            }
        }

        return store!;
    }
}
