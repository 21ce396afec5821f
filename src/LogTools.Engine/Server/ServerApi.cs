using System.Globalization;
using System.IO.Enumeration;
using System.IO.Compression;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using LogTools.Engine.Mirror;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Engine.Server;

/// <summary>
/// The routes of <see cref="LogServer"/>: the JSON API, the NDJSON download and SSE stream of a run's events, and
/// the page (embedded in this assembly). Read-only: nothing here writes the store. Failures answer JSON
/// <c>{"error":{"id","message"}}</c>: 400 for a bad parameter, 404 for an unknown id or path, 500 otherwise.
/// </summary>
internal sealed partial class ServerApi(LogStore store, LogServer server)
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;
    private const string PagePrefix = "LogTools.Engine.Server.Page.";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitRawJson } },
    };

    private static readonly Dictionary<string, string> PageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private readonly RunFeeds feeds = new();

    public async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "GET")
            {
                throw new LogToolsException(
                    "ServerMethodNotAllowed", ErrorKind.InvalidOperation, context.Request.HttpMethod,
                    $"The log server is read-only: {context.Request.HttpMethod} is not served, only GET.");
            }

            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (LogToolsException ex)
        {
            TryAnswerError(response, ex);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server stopped: nobody is left to answer.
        }
        catch (Exception ex)
        {
            TryAnswerError(response, new LogToolsException("ServerError", ErrorKind.ReadError, null, $"The log server failed on this request: {ex.Message}", ex));
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Already closed by the client.
            }
        }
    }

    /// <summary>A run id as the store makes them (and the API accepts): letters, digits, '-', '_' and '.', never a path.</summary>
    internal static string RequireRunId(string text) => RunIdShape().IsMatch(text) && text is not ("." or "..") ? text
        : throw new LogToolsException(
            "ServerRunIdInvalid", ErrorKind.InvalidArgument, text,
            $"'{text}' is not a run id: ids have letters, digits, '-', '_' and '.' only (see Get-LogRun).");

    internal static void WriteJson<T>(HttpListenerResponse response, int status, T value)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    private static void TryAnswerError(HttpListenerResponse response, LogToolsException error)
    {
        var status = error.Kind switch
        {
            ErrorKind.InvalidArgument => 400,
            ErrorKind.ObjectNotFound => 404,
            ErrorKind.InvalidOperation => 405,
            _ => 500,
        };
        try
        {
            WriteJson(response, status, new { Error = new { Id = error.ErrorId, error.Message } });
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Headers were already sent (a stream that failed midway) or the client left.
        }
    }

    // A run's summary and a session's settings are served once, parsed; their raw text would repeat them.
    private static void OmitRawJson(JsonTypeInfo info)
    {
        var raw = info.Type == typeof(LogRun) ? "summary_json" : info.Type == typeof(LogSession) ? "config_json" : null;
        if (raw is not null)
        {
            info.Properties.Remove(info.Properties.Single(p => p.Name == raw));
        }
    }

    private static LogToolsException BadParameter(string name, string? value, string expected) => new(
        "ServerParameterInvalid", ErrorKind.InvalidArgument, name,
        $"Query parameter '{name}' is '{value}': expected {expected}.");

    private static DateTimeOffset? Time(HttpListenerRequest request, string name) =>
        request.QueryString[name] is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw BadParameter(name, text, "an ISO 8601 time such as 2026-06-01T00:00:00Z");

    private static int Number(HttpListenerRequest request, string name, int fallback, int min, int max) =>
        request.QueryString[name] is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw BadParameter(name, text, $"a whole number from {min} to {max}");

    private static T? Choice<T>(string name, string? text)
        where T : struct, Enum =>
        text is null ? null
        : Enum.TryParse<T>(text, ignoreCase: true, out var value) && !int.TryParse(text, out _) ? value
        : throw BadParameter(name, text, "one of " + string.Join(", ", Enum.GetNames<T>()).ToLowerInvariant());

    private static bool Flag(HttpListenerRequest request, string name) => request.QueryString[name] switch
    {
        null or "false" => false,
        "true" => true,
        var text => throw BadParameter(name, text, "true or false"),
    };

    private static List<T>? Choices<T>(HttpListenerRequest request, string name)
        where T : struct, Enum =>
        request.QueryString[name]?.Split(',').Select(s => Choice<T>(name, s.Trim())!.Value).ToList();

    private static (DateTimeOffset? Since, DateTimeOffset? Until) Window(HttpListenerRequest request)
    {
        if (request.QueryString["last"] is { } last)
        {
            try
            {
                return (DateTimeOffset.UtcNow - TimeWindow.Parse(last), null);
            }
            catch (LogToolsException)
            {
                throw BadParameter("last", last, "a span such as 90m, 24h, 7d or 2w");
            }
        }

        return (Time(request, "since"), Time(request, "until"));
    }

    private static void ServePage(HttpListenerResponse response, string path)
    {
        var name = path == "/" ? "index.html" : path.TrimStart('/');
        var type = PageTypes.GetValueOrDefault(Path.GetExtension(name));
        using var resource = type is null || name.Contains('/') ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream(PagePrefix + name);
        if (resource is null)
        {
            throw new LogToolsException("ServerPathNotFound", ErrorKind.ObjectNotFound, path, $"There is nothing at '{path}' on this server. The page is at /, the API under /api/.");
        }

        response.ContentType = type;
        response.ContentLength64 = resource.Length;
        resource.CopyTo(response.OutputStream);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex RunIdShape();

    private async Task RouteAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        // Split before unescaping, so an escaped '/' stays inside its segment and is refused as an id.
        var segments = request.Url!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        switch (segments)
        {
            case ["api", "runs"]:
                ListRuns(request, response);
                break;
            case ["api", "runs", var id]:
                WriteJson(response, 200, new RunLedger(store).Get(RequireRunId(id)));
                break;
            case ["api", "runs", var id, "events"]:
                var run = new RunLedger(store).Get(RequireRunId(id));
                var from = request.QueryString["from_sequence"] is { } text
                    ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : throw BadParameter("from_sequence", text, "a sequence number of 1 or more")
                    : 1;
                var stream = request.QueryString["stream"] ?? "false";
                if (stream is not ("true" or "false"))
                {
                    throw BadParameter("stream", stream, "true or false");
                }

                if (stream == "true")
                {
                    await new RunStream(run, feeds, server).ServeAsync(request, response, from).ConfigureAwait(false);
                }
                else
                {
                    Download(response, run, from);
                }

                break;
            case ["api", "cost"]:
                Cost(request, response);
                break;
            case ["api", "sessions"]:
                Sessions(request, response);
                break;
            case ["api", "tasks"]:
                Tasks(request, response);
                break;
            case ["api", "mirror"]:
                MirrorStatus(request, response);
                break;
            case ["api", "server"]:
                WriteJson(response, 200, server);
                break;
            case ["api", ..]:
                throw new LogToolsException("ServerPathNotFound", ErrorKind.ObjectNotFound, request.Url.AbsolutePath,
                    $"There is no API at '{request.Url.AbsolutePath}'. The API has /api/runs, /api/runs/{{id}}, /api/runs/{{id}}/events, /api/sessions, /api/tasks, /api/mirror, /api/cost and /api/server.");
            default:
                ServePage(response, request.Url.AbsolutePath);
                break;
        }
    }

    private void ListRuns(HttpListenerRequest request, HttpListenerResponse response)
    {
        var q = request.QueryString;
        var limit = Number(request, "limit", DefaultLimit, 1, MaxLimit);
        var offset = Number(request, "offset", 0, 0, int.MaxValue - MaxLimit);
        var (since, until) = Window(request);
        var query = new RunQuery
        {
            RunId = q["run_id"] is { } id ? (IdPattern.IsPattern(id) ? id : RequireRunId(id)) : null,
            Status = Choices<RunStatus>(request, "status"),
            Kind = q["kind"],
            Workspace = q["workspace"],
            Configuration = q["configuration"],
            Since = since,
            Until = until,
            MinSeverity = Choice<LogEventSeverity>("min_severity", q["min_severity"]),
            First = offset + limit + 1, // one more than the page tells whether there is a next page
        };
        var runs = new List<LogRun>();
        var index = 0;
        new RunLedger(store).Find(query, run =>
        {
            if (index++ >= offset)
            {
                runs.Add(run);
            }
        });
        var more = runs.Count > limit;
        WriteJson(response, 200, new { Runs = runs.Take(limit), Offset = offset, Limit = limit, More = more });
    }

    private void Download(HttpListenerResponse response, LogRun run, long from)
    {
        response.ContentType = "application/x-ndjson";
        if (from == 1 && run.IsCompleted && !run.LogMissing)
        {
            // A completed log is final (the cap folded at completion): its bytes are the download, as a static file
            // would be, with its length when it is plain, copied in large blocks straight to the response.
            using var file = new FileStream(run.EventsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var compressed = run.EventsPath.EndsWith(RunLayout.CompressedSuffix, StringComparison.Ordinal);
            response.SendChunked = compressed;
            if (!compressed)
            {
                response.ContentLength64 = file.Length;
            }

            using var plain = compressed ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            plain.CopyTo(response.OutputStream, 1 << 20);
            return;
        }

        response.SendChunked = true;
        using var output = new BufferedStream(response.OutputStream, 1 << 16);
        RunEventReader.Read(run, new RunEventQuery { FromSequence = from }, line => line.CopyTo(output, "\n"u8), _ => { }, server.Stopping);
    }

    private void Cost(HttpListenerRequest request, HttpListenerResponse response)
    {
        var group = Choice<ApiCostGroup>("groupBy", request.QueryString["groupBy"]) ?? ApiCostGroup.None;
        var zone = request.QueryString["tz"] is { } tz ? TimeWindow.Zone(tz) : TimeZoneInfo.Local;
        var (since, until) = Window(request);
        var report = new ApiCostReport(store, PriceTable.Effective(null));
        var rows = report.Run(since, until, group, zone);
        WriteJson(response, 200, new { Rows = rows, UnpricedModels = report.UnpricedModels });
    }

    private void Sessions(HttpListenerRequest request, HttpListenerResponse response)
    {
        var (since, until) = Window(request);
        var sessions = new List<LogSession>();
        new SessionLedger(store).Find(request.QueryString["session_id"], Flag(request, "active"), Flag(request, "today"), since, until, sessions.Add);
        WriteJson(response, 200, new { Sessions = sessions });
    }

    private void Tasks(HttpListenerRequest request, HttpListenerResponse response)
    {
        var (since, until) = Window(request);
        var tasks = new List<LogTask>();
        new TaskLedger(store).Find(
            new TaskQuery
            {
                TaskId = request.QueryString["task_id"],
                Statuses = Choices<LogTaskStatus>(request, "status"),
                SessionId = request.QueryString["session_id"],
                Today = Flag(request, "today"),
                Since = since,
                Until = until,
            },
            tasks.Add);
        WriteJson(response, 200, new { Tasks = tasks });
    }

    /// <summary>The mirrored files (filtered by source and name, wildcards as in Get-LogMirror) and a line per source.</summary>
    private void MirrorStatus(HttpListenerRequest request, HttpListenerResponse response)
    {
        var source = request.QueryString["source"] ?? "*";
        var name = request.QueryString["name"] ?? "*";
        var all = MirrorCatalog.Files(store);
        var files = all.Where(f => FileSystemName.MatchesSimpleExpression(source, f.Source) && FileSystemName.MatchesSimpleExpression(name, f.Name)).ToList();
        if (!IdPattern.IsPattern(source) && !all.Any(f => f.Source.Equals(source, StringComparison.OrdinalIgnoreCase)))
        {
            throw new LogToolsException(
                "MirrorSourceNotFound", ErrorKind.ObjectNotFound, source,
                $"No log source '{source}' is mirrored in this store. See /api/mirror for the sources, or mirror it with Sync-LogSource.");
        }

        var sources = files.GroupBy(f => f.Source, StringComparer.OrdinalIgnoreCase).Select(g => new
        {
            Source = g.Key,
            Files = g.Count(),
            Bytes = g.Sum(f => f.Length),
            NotOk = g.Count(f => f.Status != MirrorFileStatus.Ok),
            LastMirroredAt = g.Max(f => f.MirroredAt),
        });
        WriteJson(response, 200, new { Sources = sources, Files = files });
    }
}
