using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>What the cost cmdlets share: -TimeZone, -PriceFile, and the one unpriced-models warning per command.</summary>
public abstract class ApiCostCmdlet : StoreCmdlet
{
    /// <summary>IANA or Windows time zone id for calendar periods; default: this machine's local zone.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    /// <summary>A JSON price file that overrides the price table (after the user's own prices.json).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PriceFile { get; set; }

    /// <summary>The zone of -TimeZone; stops the command on an unknown zone.</summary>
    protected TimeZoneInfo OpenZone() => MustSucceed(() => TimeWindow.Zone(TimeZone));

    /// <summary>
    /// The report over this command's store, with the effective price table; stops the command on a bad price file or
    /// store. Callers check their own arguments first, so a bad argument is not reported as a missing store.
    /// </summary>
    protected ApiCostReport OpenReport(bool includeArchive) => MustSucceed(() =>
    {
        // The price file first: a bad one is reported as such, not as a missing store.
        var prices = PriceTable.Effective(PriceFile is null ? null : ResolveUserPath(PriceFile));
        return new ApiCostReport(OpenStore(), prices, includeArchive);
    });

    protected void WarnUnpriced(ApiCostReport report)
    {
        if (report.UnpricedModels.Count > 0)
        {
            WriteWarning($"No price is known for model(s) {string.Join(", ", report.UnpricedModels)}: their calls are counted in UnpricedCalls and CostUsd is empty " +
                "where they occur (KnownCostUsd has the rest). Add them to a price file (see Get-ApiPrice) to price them.");
        }
    }
}
