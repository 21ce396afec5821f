using System.Collections;
using LogTools.Engine.Store;

namespace LogTools.Completion;

/// <summary>
/// A completer of values read from the store the command would use (-Store if typed, else the session's,
/// the environment's or the default store). It never creates a store: if the chosen store does not exist,
/// it completes nothing.
/// </summary>
public abstract class StoreValueCompleter : ValueCompleter
{
    protected sealed override IEnumerable<string> Values(IDictionary boundParameters)
    {
        var location = StoreLocator.Resolve(BoundPath(boundParameters, "Store"), SessionStoreChoice.Get(), UserSettings.Load(UserSettings.DefaultPath()));
        return File.Exists(Path.Combine(location.Path, LogStore.DatabaseFileName)) ? Values(LogStore.Open(location.Path)) : [];
    }

    /// <summary>Every value of this kind in <paramref name="store"/>.</summary>
    protected abstract IEnumerable<string> Values(LogStore store);
}
