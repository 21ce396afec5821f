using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Add-ApiCall: records model API calls. Objects with matching property names (Import-Csv rows, script
/// objects, Add-ApiCall -PassThru output) bind from the pipeline; calls are stored in batches, the last
/// one when the pipeline ends (or is stopped), so nothing accepted is lost at exit.
/// </summary>
[Cmdlet(VerbsCommon.Add, "ApiCall", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.ApiCall")]
public sealed class AddApiCallCommand : StoreCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    private const int BatchSize = 5000;
    private readonly List<ApiCall> batch = [];
    private readonly SortedSet<string> unpricedModels = new(StringComparer.Ordinal);
    private ApiCallStore? calls;
    private PriceTable? prices;

    /// <summary>The model id as the provider reports it, e.g. claude-sonnet-4-5-20250929.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("model_name", "model_id")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string Model { get; set; } = string.Empty;

    // Token counts are taken as given (text from Import-Csv, JSON numbers, script values) and converted by the
    // engine's one rule, so that a bad value is an error naming it instead of a binding that silently leaves 0.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("input_tokens", "tokens_input", "TokensInput", "prompt_tokens")]
    public object? InputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("output_tokens", "tokens_output", "TokensOutput", "completion_tokens")]
    public object? OutputTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("cache_read_tokens", "cache_read_input_tokens", "tokens_cache_read", "TokensCacheRead")]
    public object? CacheReadTokens { get; set; }

    /// <summary>5-minute prompt-cache writes, and cache writes whose lifetime the source does not tell.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("cache_write_tokens", "cache_creation_input_tokens", "tokens_cache_write", "TokensCacheWrite", "ephemeral_5m_input_tokens", "CacheWrite5mTokens")]
    public object? CacheWriteTokens { get; set; }

    /// <summary>1-hour prompt-cache writes (priced at the 1-hour rate).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("cache_write_1h_tokens", "ephemeral_1h_input_tokens", "tokens_cache_write_1h")]
    public object? CacheWrite1hTokens { get; set; }

    /// <summary>A cost given by the source (USD); empty means "estimate from the price table".</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("cost_usd", "estimated_cost_usd", "cost")]
    public object? CostUsd { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("duration_ms")]
    public object? DurationMs { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Success { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("worker_id")]
    [ArgumentCompleter(typeof(WorkerIdCompleter))]
    public string? WorkerId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("session_id")]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("machine_name")]
    public string? Machine { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("time", "created_at")]
    public object? Timestamp { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("request_id")]
    public string? RequestId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("message_id")]
    public string? MessageId { get; set; }

    /// <summary>A JSON price file overriding the price table for the estimates of -PassThru and the unpriced warning.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PriceFile { get; set; }

    /// <summary>Write each stored call (with its CallId and estimated cost).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Begin()
    {
        prices = PriceTable.Effective(PriceFile is null ? null : ResolveUserPath(PriceFile));
        calls = new ApiCallStore(OpenStore(), prices);
    }

    protected override void Process()
    {
        ApiCall? call = null;
        ForInput(() => call = Bound());
        if (call is null)
        {
            return;
        }

        if (!ShouldProcess($"{call.Model} at {call.Timestamp:o}", "Add API call"))
        {
            return;
        }

        if (call.CostUsd is null && prices!.Resolve(call.Model) is null)
        {
            unpricedModels.Add(call.Model);
        }

        batch.Add(call);
        if (batch.Count >= BatchSize)
        {
            Flush(write: true);
        }
    }

    /// <summary>The call the parameters describe, checked as the store would check it.</summary>
    private ApiCall Bound()
    {
        var worker = NullIfEmpty(WorkerId);
        var session = calls!.ResolveSession(worker, NullIfEmpty(SessionId));
        var call = new ApiCall
        {
            WorkerId = worker,
            SessionId = session,
            Model = Model.Trim(),
            InputTokens = TokenCount.From(Unwrap(InputTokens), nameof(InputTokens)),
            OutputTokens = TokenCount.From(Unwrap(OutputTokens), nameof(OutputTokens)),
            CacheReadTokens = TokenCount.From(Unwrap(CacheReadTokens), nameof(CacheReadTokens)),
            CacheWriteTokens = TokenCount.From(Unwrap(CacheWriteTokens), nameof(CacheWriteTokens)),
            CacheWrite1hTokens = TokenCount.From(Unwrap(CacheWrite1hTokens), nameof(CacheWrite1hTokens)),
            CostUsd = ApiCallValues.Cost(Unwrap(CostUsd)),
            DurationMs = ApiCallValues.Duration(Unwrap(DurationMs)),
            Success = ApiCallValues.Success(Unwrap(Success)),
            Machine = string.IsNullOrEmpty(Machine) ? Environment.MachineName : Machine,
            Timestamp = ApiCallValues.Timestamp(Unwrap(Timestamp)),
            RequestId = NullIfEmpty(RequestId),
            MessageId = NullIfEmpty(MessageId),
        };
        ApiCallStore.Validate(call);
        return call;
    }

    protected override void End()
    {
        Flush(write: true);
        if (unpricedModels.Count > 0)
        {
            WriteWarning($"No price is known for model(s) {string.Join(", ", unpricedModels)}: their calls were stored without a cost and reports show them as unpriced. " +
                "Add them to a price file (see Get-ApiPrice) to price them.");
        }
    }

    /// <summary>A stopped pipeline (Ctrl+C, a downstream error) skips EndProcessing: the accepted calls are still stored.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush(write: false);
        }

        base.Dispose(disposing);
    }

    private void Flush(bool write)
    {
        if (batch.Count == 0 || calls is null)
        {
            return;
        }

        var stored = batch.ToArray();
        batch.Clear();
        try
        {
            var result = calls.Add(stored);
            if (write)
            {
                WriteVerbose($"Stored {result.Added} API call(s); {result.Duplicates} duplicate(s) ignored.");
            }
        }
        catch (LogToolsException ex) when (write)
        {
            WriteEngineError(ex);
            return;
        }

        if (write && PassThru)
        {
            foreach (var call in stored)
            {
                WriteObject(call);
            }
        }
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
