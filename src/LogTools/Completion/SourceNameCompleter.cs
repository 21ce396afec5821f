using LogTools.Engine.Mirror;
using LogTools.Engine.Store;

namespace LogTools.Completion;

/// <summary>Completes -Source with the names of the log sources mirrored into the store.</summary>
public sealed class SourceNameCompleter : StoreValueCompleter
{
    protected override IEnumerable<string> Values(LogStore store) => MirrorCatalog.Files(store).Select(f => f.Source);
}
