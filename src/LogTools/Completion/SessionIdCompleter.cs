using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Completion;

/// <summary>Completes -SessionId with the sessions in the store.</summary>
public sealed class SessionIdCompleter : StoreValueCompleter
{
    protected override IEnumerable<string> Values(LogStore store)
    {
        var ids = new List<string>();
        new SessionLedger(store).Find(null, activeOnly: false, today: false, since: null, until: null, s => ids.Add(s.SessionId));
        return ids;
    }
}
