using System.Globalization;
using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Add-ApiCall: records model API calls. Objects with matching property names (Import-Csv rows, script
/// objects, Add-ApiCall -PassThru output) come in as -InputObject and fill the parameters by property name;
/// calls are stored in batches, the last one when the pipeline ends (or is stopped), so nothing accepted is
/// lost at exit.
/// </summary>
[Cmdlet(VerbsCommon.Add, "ApiCall", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ParametersSet)]
[OutputType("LogTools.Engine.Sessions.ApiCall")]
public sealed class AddApiCallCommand : StoreCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    private const string ParametersSet = "Parameters";
    private const string InputObjectSet = "InputObject";
    // A batch goes to the store as soon as the one before it is stored and it has MinBatch calls, so storing starts early and
    // keeps pace; while one is being stored the next grows up to MaxBatch, then the pipeline waits for the store.
    private const int MinBatch = 1000;
    private const int MaxBatch = 5000;

    // PowerShell's binding by property name (ValueFromPipelineByPropertyName on all of these) cost more per object than
    // storing the call: a pipeline object is taken whole and its properties are read here instead.
    private static readonly PropertyBinder<AddApiCallCommand> FromObject = new(
        nameof(Model), nameof(InputTokens), nameof(OutputTokens), nameof(CacheReadTokens), nameof(CacheWriteTokens), nameof(CacheWrite1hTokens),
        nameof(CostUsd), nameof(DurationMs), nameof(Success), nameof(WorkerId), nameof(SessionId), nameof(Machine), nameof(Timestamp),
        nameof(RequestId), nameof(MessageId));

    // LogTools worker logs (Import-LogHistory's second format) nest the counts in a usage object: read from there when the
    // object itself has none.
    private static readonly PropertyBinder<AddApiCallCommand> FromUsage = new(
        nameof(InputTokens), nameof(OutputTokens), nameof(CacheReadTokens), nameof(CacheWriteTokens), nameof(CacheWrite1hTokens));

    private readonly string machineName = HostName.Current;
    private PropertyBinder<AddApiCallCommand>.Filler? fromObject;
    private PropertyBinder<AddApiCallCommand>.Filler? fromUsage;
    // Pipeline objects stored without any token count: most likely misnamed columns, said once at the end.
    private long tokenless;
    private bool askEach;
    private long position;
    private readonly List<ApiCall> batch = [];
    private readonly SortedSet<string> unpricedModels = new(StringComparer.Ordinal);
    private ApiCallStore? calls;
    // Reference fields only: a struct field over engine types would make PowerShell load the engine while it reads the
    // cmdlet types at import, before the module's private load context is wired.
    private ApiCall[] writingCalls = [];
    private Task<ApiCallAddResult>? writing;
    private PriceTable? prices;

    /// <summary>The model id as the provider reports it, e.g. claude-sonnet-4-5-20250929.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParametersSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    [Alias("model_name", "model_id")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? Model { get; set; }

    /// <summary>
    /// A call as an object (an Import-Csv row, a script object, Add-ApiCall -PassThru output): its properties fill the
    /// parameters of the same names or aliases that are not given on the command line.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject? InputObject { get; set; }

    // Token counts are taken as given (text from Import-Csv, JSON numbers, script values) and converted by the
    // engine's one rule, so that a bad value is an error naming it instead of a binding that silently leaves 0.
    [Parameter]
    [Alias("input_tokens", "tokens_input", "TokensInput", "prompt_tokens")]
    public object? InputTokens { get; set; }

    [Parameter]
    [Alias("output_tokens", "tokens_output", "TokensOutput", "completion_tokens")]
    public object? OutputTokens { get; set; }

    [Parameter]
    [Alias("cache_read_tokens", "cache_read_input_tokens", "tokens_cache_read", "TokensCacheRead")]
    public object? CacheReadTokens { get; set; }

    /// <summary>5-minute prompt-cache writes, and cache writes whose lifetime the source does not tell.</summary>
    [Parameter]
    [Alias("cache_write_tokens", "cache_creation_input_tokens", "tokens_cache_write", "TokensCacheWrite", "ephemeral_5m_input_tokens", "CacheWrite5mTokens")]
    public object? CacheWriteTokens { get; set; }

    /// <summary>1-hour prompt-cache writes (priced at the 1-hour rate).</summary>
    [Parameter]
    [Alias("cache_write_1h_tokens", "ephemeral_1h_input_tokens", "tokens_cache_write_1h")]
    public object? CacheWrite1hTokens { get; set; }

    /// <summary>A cost given by the source (USD); empty means "estimate from the price table".</summary>
    [Parameter]
    [Alias("cost_usd", "estimated_cost_usd", "cost")]
    public object? CostUsd { get; set; }

    [Parameter]
    [Alias("duration_ms")]
    public object? DurationMs { get; set; }

    [Parameter]
    public object? Success { get; set; }

    [Parameter]
    [Alias("worker_id")]
    [ArgumentCompleter(typeof(WorkerIdCompleter))]
    public string? WorkerId { get; set; }

    [Parameter]
    [Alias("session_id")]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    [Parameter]
    [Alias("machine_name")]
    public string? Machine { get; set; }

    [Parameter]
    [Alias("time", "created_at")]
    public object? Timestamp { get; set; }

    [Parameter]
    [Alias("request_id")]
    public string? RequestId { get; set; }

    [Parameter]
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
        fromObject = FromObject.For(MyInvocation.BoundParameters.Keys);
        fromUsage = FromUsage.For(MyInvocation.BoundParameters.Keys);
        askEach = ShouldProcessCanAct();
    }

    protected override void Process()
    {
        ApiCall call;
        var noTokens = false;
        try
        {
            if (InputObject is not null)
            {
                position++;
                fromObject!.Bind(this, InputObject);
                if (NoTokens() && InputObject.Properties["usage"]?.Value is { } usage and not string)
                {
                    fromUsage!.Bind(this, PSObject.AsPSObject(usage));
                }

                noTokens = NoTokens();
            }

            call = Bound();
        }
        catch (LogToolsException ex)
        {
            // One bad object is its own error, saying which one (the 3rd object is the CSV's 3rd row); the rest go on.
            var record = ToErrorRecord(ex);
            if (InputObject is not null)
            {
                record.ErrorDetails = new ErrorDetails($"Pipeline object {position}: {ex.Message}");
            }

            WriteError(record);
            return;
        }

        // Under -WhatIf the store is opened as a reader (never created) before the first "What if": a mistyped store is
        // reported as StoreNotFound, as by every other command.
        if (calls is null && WhatIfRequested())
        {
            _ = Calls;
        }

        if (askEach && !ShouldProcess(string.Concat(call.Model, " at ", call.Timestamp.ToString("o", CultureInfo.InvariantCulture)), "Add API call"))
        {
            return;
        }

        if (noTokens)
        {
            tokenless++;
        }

        if (call.CostUsd is null && prices!.Resolve(call.Model) is null)
        {
            unpricedModels.Add(call.Model);
        }

        // The first accepted call opens the store (creating it when needed) here, where a failure to open it is reported.
        _ = Calls;
        batch.Add(call);
        if (batch.Count >= MaxBatch || (batch.Count >= MinBatch && writing is not { IsCompleted: false }))
        {
            Flush(write: true);
        }
    }

    private bool NoTokens() =>
        InputTokens is null && OutputTokens is null && CacheReadTokens is null && CacheWriteTokens is null && CacheWrite1hTokens is null;

    /// <summary>The call the parameters describe, checked as the store would check it.</summary>
    private ApiCall Bound()
    {
        var worker = NullIfEmpty(WorkerId);
        var sessionId = NullIfEmpty(SessionId);
        // Only a named worker or session needs the store to check it: no input, or only -WhatIf, creates no store.
        var session = worker is null && sessionId is null ? null : Calls.ResolveSession(worker, sessionId);
        var call = new ApiCall
        {
            WorkerId = worker,
            SessionId = session,
            Model = Model?.Trim() ?? string.Empty,
            InputTokens = TokenCount.From(Unwrap(InputTokens), nameof(InputTokens)),
            OutputTokens = TokenCount.From(Unwrap(OutputTokens), nameof(OutputTokens)),
            CacheReadTokens = TokenCount.From(Unwrap(CacheReadTokens), nameof(CacheReadTokens)),
            CacheWriteTokens = TokenCount.From(Unwrap(CacheWriteTokens), nameof(CacheWriteTokens)),
            CacheWrite1hTokens = TokenCount.From(Unwrap(CacheWrite1hTokens), nameof(CacheWrite1hTokens)),
            CostUsd = ApiCallValues.Cost(Unwrap(CostUsd)),
            DurationMs = ApiCallValues.Duration(Unwrap(DurationMs)),
            Success = ApiCallValues.Success(Unwrap(Success)),
            Machine = string.IsNullOrEmpty(Machine) ? machineName : Machine,
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
        Report(write: true);
        if (tokenless > 0)
        {
            WriteWarning($"{tokenless} pipeline object(s) had no token counts: no property InputTokens, OutputTokens, CacheReadTokens, CacheWriteTokens " +
                "or CacheWrite1hTokens (nor an alias such as input_tokens or prompt_tokens), and no usage object holding them. Their calls were stored " +
                "with 0 tokens. If the counts are there under other names, rename the properties (Get-Help Add-ApiCall -Parameter InputTokens lists the names taken).");
        }

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
            Report(write: false);
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Hands the collected calls to the store on a worker thread, after reporting the batch before (one batch at a time
    /// is written): storing overlaps with reading the next objects, so the pipeline costs the slower of the two, not both.
    /// </summary>
    private void Flush(bool write)
    {
        if (batch.Count == 0 || calls is null)
        {
            return;
        }

        Report(write);
        var stored = batch.ToArray();
        batch.Clear();
        var store = calls;
        writingCalls = stored;
        writing = Task.Run(() => store.Add(stored));
    }

    /// <summary>Waits for the batch being written and writes its outcome: verbose counts, its error, or its calls (-PassThru).</summary>
    private void Report(bool write)
    {
        if (writing is not { } task)
        {
            return;
        }

        var stored = writingCalls;
        (writing, writingCalls) = (null, []);
        try
        {
            var result = task.GetAwaiter().GetResult();
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
        catch (LogToolsException)
        {
            // stopped: nowhere left to report it, and what was stored is in the store
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

    /// <summary>The store's API calls, opened (created when needed) on first use: an accepted call or a worker or session to check.</summary>
    // The store estimates each stored call's cost only for -PassThru, the one place the estimate is seen.
    private ApiCallStore Calls => calls ??= new ApiCallStore(OpenStore(), PassThru ? prices : null);

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
