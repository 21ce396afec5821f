using System.Collections;
using LogTools.Engine.Sessions;

namespace LogTools.Completion;

/// <summary>Completes -Model with the model ids of the effective price table (with -PriceFile if typed).</summary>
public sealed class ModelCompleter : ValueCompleter
{
    protected override IEnumerable<string> Values(IDictionary boundParameters) =>
        PriceTable.Effective(BoundPath(boundParameters, "PriceFile")).Prices.Select(p => p.Model);
}
