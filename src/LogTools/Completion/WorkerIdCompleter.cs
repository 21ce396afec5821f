using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Completion;

/// <summary>Completes -WorkerId with the workers in the store.</summary>
public sealed class WorkerIdCompleter : StoreValueCompleter
{
    protected override IEnumerable<string> Values(LogStore store)
    {
        var ids = new List<string>();
        new WorkerLedger(store).Find(new WorkerQuery(), w => ids.Add(w.WorkerId));
        return ids;
    }
}
