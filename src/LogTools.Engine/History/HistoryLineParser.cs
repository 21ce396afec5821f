using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Turns one JSONL line into an <see cref="ApiCall"/>, detecting its format from the line itself:
/// Claude Code project logs (<c>"type":"assistant"</c> with <c>message.model</c>, <c>message.usage</c>,
/// <c>message.id</c>, <c>requestId</c>, optional <c>costUSD</c>) and LogTools worker logs (<c>"type":"api_call"</c>
/// with <c>model</c>, <c>usage</c>, <c>message_id</c>, <c>request_id</c>, <c>worker_id</c>, <c>session_id</c>,
/// <c>cost_usd</c>, <c>duration_ms</c>, <c>success</c> at the top level).
/// </summary>
/// <remarks>
/// A line that could be an API call (it mentions <c>"usage"</c>) gets one forward pass of a <see cref="Utf8JsonReader"/>
/// that both validates the whole line and picks out the fields, in whatever order they come (Claude Code writes
/// <c>type</c> after the large <c>message</c> object). Other lines are only checked to be UTF-8 (by the reader) and
/// to look like one JSON object, so the long user and tool entries cost a vectorised search and no parse.
/// </remarks>
internal static class HistoryLineParser
{
    /// <summary>The model Claude Code records for messages it made up itself (API errors, interruptions): not API calls.</summary>
    public const string SyntheticModel = "<synthetic>";

    private const string NotJson = "is not a single well-formed JSON value";

    // Strings longer than this (message text, tool input and output) are left out of the copy that is parsed.
    private const int LongString = 128;

    [ThreadStatic]
    private static byte[]? shrinkBuffer;

    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 };

    // Every line of an import runs these: compiled fully optimised at its first call (AggressiveOptimization), not run
    // as ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    /// <summary>
    /// Parses <paramref name="line"/>. For <see cref="HistoryLineKind.ApiCall"/> <paramref name="call"/> is set; for
    /// <see cref="HistoryLineKind.Malformed"/> <paramref name="defect"/> completes a sentence whose subject is the line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static HistoryLineKind Parse(ReadOnlySpan<byte> line, string machine, string? source, out ApiCall? call, out string? defect)
    {
        call = null;
        defect = null;
        if (line.IndexOf("\"usage\""u8) < 0)
        {
            // Both formats need a usage object, and most bytes of a Claude log are user and tool entries without one:
            // those get a cheap shape check instead of a full parse, which would cost most of the import's time.
            var trimmed = line.Trim(" \t\r"u8);
            if (trimmed.Length >= 2 && trimmed[0] == (byte)'{' && trimmed[^1] == (byte)'}')
            {
                return HistoryLineKind.Other;
            }

            defect = "is not a JSON object";
            return HistoryLineKind.Malformed;
        }

        var kind = ParseJson(Shrink(line), machine, source, out call, out defect);
        if (kind == HistoryLineKind.Malformed && defect!.StartsWith(NotJson, StringComparison.Ordinal))
        {
            // Report the defect's position in the line as written, not in its shrunk copy.
            kind = ParseJson(line, machine, source, out call, out defect);
        }

        return kind;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static HistoryLineKind ParseJson(ReadOnlySpan<byte> line, string machine, string? source, out ApiCall? call, out string? defect)
    {
        call = null;
        defect = null;
        var fields = default(Fields);
        try
        {
            var reader = new Utf8JsonReader(line, ReaderOptions);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadTop(ref reader, ref fields);
            }
            else
            {
                reader.Skip();
            }

            if (reader.Read())
            {
                // Reading on throws for trailing content; anything else left over is a second value.
                defect = NotJson + " (more than one value on the line)";
                return HistoryLineKind.Malformed;
            }
        }
        catch (JsonException e)
        {
            // Not the reader's own text, which counts lines from 0 and speaks of its internals: the byte finds the defect.
            defect = e.BytePositionInLine is { } at ? $"{NotJson} (its JSON is invalid at byte {at + 1} of the line)" : NotJson;
            return HistoryLineKind.Malformed;
        }

        var format = fields.Type;
        var usage = format == Format.Claude ? fields.MessageUsage : fields.TopUsage;
        var model = format == Format.Claude ? fields.MessageModel : fields.TopModel;
        if (format == Format.None || (format == Format.Claude && !usage.Present) || model == SyntheticModel)
        {
            return HistoryLineKind.Other;
        }

        defect = Check(fields, usage, model, format);
        if (defect is not null)
        {
            return HistoryLineKind.Malformed;
        }

        call = format == Format.Claude
            ? new ApiCall
            {
                Timestamp = fields.Timestamp!.Value,
                Model = model!,
                InputTokens = usage.Input,
                OutputTokens = usage.Output,
                CacheReadTokens = usage.CacheRead,
                CacheWriteTokens = usage.CacheWrite5m,
                CacheWrite1hTokens = usage.CacheWrite1h,
                CostUsd = fields.ClaudeCost,
                Machine = machine,
                MessageId = fields.MessageId,
                RequestId = fields.ClaudeRequestId,
                Source = source,
            }
            : new ApiCall
            {
                Timestamp = fields.Timestamp!.Value,
                Model = model!,
                InputTokens = usage.Input,
                OutputTokens = usage.Output,
                CacheReadTokens = usage.CacheRead,
                CacheWriteTokens = usage.CacheWrite5m,
                CacheWrite1hTokens = usage.CacheWrite1h,
                CostUsd = fields.WorkerCost,
                DurationMs = fields.DurationMs,
                Success = fields.Success ?? true,
                Machine = machine,
                MessageId = fields.WorkerMessageId,
                RequestId = fields.WorkerRequestId,
                WorkerId = fields.WorkerId,
                SessionId = fields.SessionId,
                Source = source,
            };
        return HistoryLineKind.ApiCall;
    }

    /// <summary>
    /// A copy of the line with the contents of long strings left out ("" instead), found with a vectorised search for
    /// quotes (see ClosingQuote). Utf8JsonReader checks long escaped text byte by byte, which would cost most of the
    /// import's time; the fields an API call needs are all short strings and numbers, and the structure of the whole
    /// line is still validated. An unterminated string is copied as it is, for the reader to reject.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> Shrink(ReadOnlySpan<byte> line)
    {
        var buffer = shrinkBuffer is { } b && b.Length >= line.Length ? b : shrinkBuffer = new byte[Math.Max(line.Length, 64 * 1024)];
        int read = 0, written = 0;
        while (true)
        {
            var quote = line[read..].IndexOf((byte)'"');
            if (quote < 0)
            {
                break;
            }

            var open = read + quote;
            var close = ClosingQuote(line, open + 1);
            if (close >= line.Length)
            {
                break;
            }

            var keep = close - open - 1 > LongString ? open + 1 : close;
            line[read..keep].CopyTo(buffer.AsSpan(written));
            written += keep - read;
            buffer[written++] = (byte)'"';
            read = close + 1;
        }

        line[read..].CopyTo(buffer.AsSpan(written));
        return buffer.AsSpan(0, written + line.Length - read);
    }

    /// <summary>
    /// Where the string that starts at <paramref name="from"/> ends (its closing quote), or the line's length when it
    /// does not end. A quote ends the string unless an odd run of backslashes stands before it (the last one escapes
    /// it; an even run is escaped backslashes), so the search stops only at quotes: text full of \n and \t escapes is
    /// passed over in one vectorised search instead of one search per escape.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ClosingQuote(ReadOnlySpan<byte> line, int from)
    {
        for (var at = from; at < line.Length; at++)
        {
            var next = line[at..].IndexOf((byte)'"');
            if (next < 0)
            {
                break;
            }

            at += next;
            var backslashes = at - from - line[from..at].TrimEnd((byte)'\\').Length;
            if (backslashes % 2 == 0)
            {
                return at;
            }
        }

        return line.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Check(in Fields fields, in Usage usage, string? model, Format format)
    {
        if (fields.Invalid is { } invalid)
        {
            return "has " + invalid;
        }

        if (!usage.Present)
        {
            return "is an api_call record without a usage object";
        }

        if (usage.Invalid is { } bad)
        {
            return "has " + bad;
        }

        if (!usage.HasInput || !usage.HasOutput)
        {
            return "has a usage object without input_tokens or output_tokens";
        }

        if (string.IsNullOrEmpty(model))
        {
            return format == Format.Claude ? "has usage but no message.model" : "is an api_call record without a model";
        }

        return fields.Timestamp is null ? "has no timestamp (an ISO-8601 date and time)" : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadTop(ref Utf8JsonReader reader, ref Fields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMessage(ref reader, ref fields);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                fields.Type = ReadType(ref reader, ref fields);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                fields.Timestamp = ReadTimestamp(ref reader, ref fields);
            }
            else if (reader.ValueTextEquals("requestId"u8))
            {
                fields.ClaudeRequestId = ReadString(ref reader, "requestId", ref fields);
            }
            else if (reader.ValueTextEquals("costUSD"u8))
            {
                fields.ClaudeCost = ReadCost(ref reader, "costUSD", ref fields);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                fields.TopModel = ReadString(ref reader, "model", ref fields);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                fields.TopUsage = ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                fields.WorkerRequestId = ReadString(ref reader, "request_id", ref fields);
            }
            else if (reader.ValueTextEquals("message_id"u8))
            {
                fields.WorkerMessageId = ReadString(ref reader, "message_id", ref fields);
            }
            else if (reader.ValueTextEquals("worker_id"u8))
            {
                fields.WorkerId = ReadString(ref reader, "worker_id", ref fields);
            }
            else if (reader.ValueTextEquals("session_id"u8))
            {
                fields.SessionId = ReadString(ref reader, "session_id", ref fields);
            }
            else if (reader.ValueTextEquals("cost_usd"u8))
            {
                fields.WorkerCost = ReadCost(ref reader, "cost_usd", ref fields);
            }
            else if (reader.ValueTextEquals("duration_ms"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ms) && ms >= 0)
                {
                    fields.DurationMs = ms;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    fields.Invalid ??= "a duration_ms that is not a whole number >= 0";
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("success"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    fields.Success = reader.GetBoolean();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    fields.Invalid ??= "a success value that is not true or false";
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadMessage(ref Utf8JsonReader reader, ref Fields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                fields.MessageId = ReadString(ref reader, "message.id", ref fields);
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                fields.MessageModel = ReadString(ref reader, "message.model", ref fields);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                fields.MessageUsage = ReadUsage(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Usage ReadUsage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new Usage { Present = true, Invalid = "a usage that is not an object" };
        }

        var usage = new Usage { Present = true };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                usage.HasInput = ReadTokens(ref reader, "input_tokens", ref usage, out usage.Input);
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                usage.HasOutput = ReadTokens(ref reader, "output_tokens", ref usage, out usage.Output);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                ReadTokens(ref reader, "cache_creation_input_tokens", ref usage, out usage.CacheWrite);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                ReadTokens(ref reader, "cache_read_input_tokens", ref usage, out usage.CacheRead);
            }
            else if (reader.ValueTextEquals("cache_creation"u8))
            {
                ReadCacheCreation(ref reader, ref usage);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // cache_creation_input_tokens counts every cache write; the split moves its 1-hour part out. Without a split
        // (or with one that does not fit in the total) the split's own 5-minute count is used, else all writes are 5-minute.
        usage.CacheWrite5m = !usage.HasSplit ? usage.CacheWrite
            : usage.CacheWrite >= usage.CacheWrite1h && usage.CacheWrite > 0 ? usage.CacheWrite - usage.CacheWrite1h
            : usage.Split5m;
        return usage;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadCacheCreation(ref Utf8JsonReader reader, ref Usage usage)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            usage.Invalid ??= "a usage.cache_creation that is not an object";
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ephemeral_5m_input_tokens"u8))
            {
                usage.HasSplit |= ReadTokens(ref reader, "cache_creation.ephemeral_5m_input_tokens", ref usage, out usage.Split5m);
            }
            else if (reader.ValueTextEquals("ephemeral_1h_input_tokens"u8))
            {
                usage.HasSplit |= ReadTokens(ref reader, "cache_creation.ephemeral_1h_input_tokens", ref usage, out usage.CacheWrite1h);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    // Token counts are read by the one rule of TokenCount (whole numbers >= 0, as ccusage requires); anything else
    // makes the record malformed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadTokens(ref Utf8JsonReader reader, string name, ref Usage usage, out long value)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && TokenCount.TryParse(reader.ValueSpan, out value))
        {
            return true;
        }

        var shown = reader.TokenType switch
        {
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String => "\"" + reader.GetString() + "\"",
            _ => reader.TokenType.ToString().ToLowerInvariant(),
        };
        reader.Skip();
        usage.Invalid ??= $"a usage.{name} of {shown}, which is not a token count ({TokenCount.ErrorId}: a whole number from 0 up, digits only)";
        value = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReadString(ref Utf8JsonReader reader, string name, ref Fields fields)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            default:
                fields.Invalid ??= $"a {name} that is not a string";
                reader.Skip();
                return null;
        }
    }

    // The type is only compared: no string is made for it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Format ReadType(ref Utf8JsonReader reader, ref Fields fields)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.ValueTextEquals("assistant"u8) ? Format.Claude : reader.ValueTextEquals("api_call"u8) ? Format.Worker : Format.None;
            case JsonTokenType.Null:
                return Format.None;
            default:
                fields.Invalid ??= "a type that is not a string";
                reader.Skip();
                return Format.None;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static decimal? ReadCost(ref Utf8JsonReader reader, string name, ref Fields fields)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var cost) && cost >= 0)
        {
            return cost;
        }

        if (reader.TokenType != JsonTokenType.Null)
        {
            fields.Invalid ??= $"a {name} that is not a number >= 0";
            reader.Skip();
        }

        return null;
    }

    // A date alone ("2025-01-02") is refused, as ccusage refuses it: an API call needs a time of day.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, ref Fields fields)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.IndexOf((byte)'T') > 0 && reader.TryGetDateTimeOffset(out var time))
        {
            return time;
        }

        fields.Invalid ??= "a timestamp that is not an ISO-8601 date and time";
        reader.Skip();
        return null;
    }

    private enum Format
    {
        None,
        Claude,
        Worker,
    }

    private struct Usage
    {
        public bool Present;
        public bool HasInput;
        public bool HasOutput;
        public long Input;
        public long Output;
        public long CacheRead;
        public long CacheWrite;
        public bool HasSplit;
        public long Split5m;
        public long CacheWrite1h;
        public long CacheWrite5m;
        public string? Invalid;
    }

    private struct Fields
    {
        public Format Type;
        public DateTimeOffset? Timestamp;
        public string? MessageId;
        public string? MessageModel;
        public Usage MessageUsage;
        public string? ClaudeRequestId;
        public decimal? ClaudeCost;
        public string? TopModel;
        public Usage TopUsage;
        public string? WorkerRequestId;
        public string? WorkerMessageId;
        public string? WorkerId;
        public string? SessionId;
        public decimal? WorkerCost;
        public long? DurationMs;
        public bool? Success;
        public string? Invalid;
    }
}
