using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Completion;

/// <summary>Completes -TaskId (and a task -ContextId) with the tasks in the store.</summary>
public sealed class TaskIdCompleter : StoreValueCompleter
{
    protected override IEnumerable<string> Values(LogStore store)
    {
        var ids = new List<string>();
        new TaskLedger(store).Find(new TaskQuery(), t => ids.Add(t.TaskId));
        return ids;
    }
}
