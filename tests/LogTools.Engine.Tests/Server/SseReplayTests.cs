using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LogTools.Engine.Runs;
using LogTools.Engine.Server;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Server;

/// <summary>The SSE replay's bytes: frames gathered in 64 KiB writes must be exactly one frame per line, as before.</summary>
[Trait("Category", TestBackend.Category)]
public sealed class SseReplayTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task AReplayAcrossManyBuffers_IsEveryLineFramedOnce_AndResumesExactlyAfterLastEventId()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = ledger.Start(null, null, "test", RunStatus.Running);
        // About 300 KiB of short lines around one line longer than a whole buffer (150 KiB).
        ledger.Append(run.RunId, [.. Enumerable.Range(0, 2000).Select(n => Line($"line {n}"))]);
        ledger.Append(run.RunId, [Line(new string('x', 150 * 1024))]);
        ledger.Append(run.RunId, [.. Enumerable.Range(0, 1000).Select(n => Line($"after {n}"))]);
        var done = ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
        var lines = File.ReadAllLines(done.EventsPath);
        Assert.Equal(3003, lines.Length); // run.started, 3,001 lines, run.completed

        using var server = LogServer.Start(TestBackend.Open(store.Path, StoreAccess.Read), "127.0.0.1", FreePort());
        using var http = new HttpClient();
        var url = $"{server.Url}api/runs/{run.RunId}/events?stream=true";

        Assert.Equal(Expected(lines, 0), await http.GetStringAsync(url));

        using var resume = new HttpRequestMessage(HttpMethod.Get, url);
        resume.Headers.Add("Last-Event-ID", "1999");
        using var response = await http.SendAsync(resume);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Expected(lines, 1999), await response.Content.ReadAsStringAsync());
    }

    private static NewRunEvent Line(string message) => new() { Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = message };

    /// <summary>The stream as one frame per line after sequence <paramref name="after"/> (line n has sequence n + 1).</summary>
    private static string Expected(string[] lines, int after)
    {
        var text = new StringBuilder("retry: 1000\n\n");
        for (var i = after; i < lines.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"id: {i + 1}\ndata: {lines[i]}\n\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"event: end\ndata: {{\"last_event_id\":{lines.Length}}}\n\n").ToString();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
