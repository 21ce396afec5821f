using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-ApiPrice: the effective price table (embedded, then the user's prices.json, then -PriceFile), or the price a model id resolves to.</summary>
[Cmdlet(VerbsCommon.Get, "ApiPrice")]
[OutputType("LogTools.Engine.Sessions.ApiPrice")]
public sealed class GetApiPriceCommand : LogToolsCmdlet
{
    private PriceTable? prices;

    /// <summary>Model ids to resolve (as providers report them); without it, every price of the table.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string[]? Model { get; set; }

    /// <summary>With -Model: the price valid at this time (default now).</summary>
    [Parameter]
    public DateTime? Date { get; set; }

    /// <summary>A JSON price file that overrides the table.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PriceFile { get; set; }

    protected override void Begin() => prices = PriceTable.Effective(PriceFile is null ? null : ResolveUserPath(PriceFile));

    protected override void Process()
    {
        if (Model is null)
        {
            foreach (var price in prices!.Prices)
            {
                WriteObject(price);
            }

            return;
        }

        foreach (var model in Model)
        {
            if (prices!.Find(model, Date is { } d ? new DateTimeOffset(d) : DateTimeOffset.UtcNow) is { } price)
            {
                WriteObject(price);
            }
            else
            {
                WriteEngineError(new LogToolsException("ModelNotPriced", ErrorKind.ObjectNotFound, model,
                    $"No price is known for model '{model}'. Its calls are reported as unpriced; add it to a price file ({PriceTable.DefaultUserPath()} or -PriceFile)."));
            }
        }
    }
}
