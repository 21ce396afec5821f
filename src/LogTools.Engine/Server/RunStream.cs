using System.Globalization;
using System.Net;
using LogTools.Engine.Runs;

namespace LogTools.Engine.Server;

/// <summary>
/// One SSE client of a run's events: each event's <c>id:</c> is its sequence, so a reconnect with Last-Event-ID
/// resumes right after it. It replays the log from the file, then (for an open run) joins the run's feed, reads the
/// file once more to close the gap between the two, and goes on live, skipping what it already sent. The stream
/// ends after run.completed with an <c>end</c> event; a client that fell behind gets a <c>reconnect</c> event
/// with its last id instead.
/// </summary>
internal sealed class RunStream(LogRun run, RunFeeds feeds, LogServer server)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private long last;
    private bool completed;

    public async Task ServeAsync(HttpListenerRequest request, HttpListenerResponse response, long from)
    {
        last = from - 1;
        if (request.Headers["Last-Event-ID"] is { Length: > 0 } header)
        {
            last = long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : throw new LogToolsException(
                    "ServerParameterInvalid", ErrorKind.InvalidArgument, "Last-Event-ID",
                    $"Header Last-Event-ID is '{header}': expected the sequence number of the last event received.");
        }

        response.ContentType = "text/event-stream";
        response.Headers["Cache-Control"] = "no-cache";
        response.SendChunked = true;
        server.ClientConnected();
        try
        {
            await using var output = new BufferedStream(response.OutputStream, 1 << 16);
            output.Write("retry: 1000\n\n"u8);
            CatchUp(output);
            var ending = "end";
            if (!completed && !run.IsCompleted)
            {
                using var subscription = feeds.Join(run, last + 1, server.Stopping);
                CatchUp(output);
                if (!completed && !await LiveAsync(output, subscription).ConfigureAwait(false))
                {
                    ending = "reconnect";
                }
            }

            output.Write(SseFrame.Control(ending, $"{{\"last_event_id\":{last}}}"));
            await output.FlushAsync(server.Stopping).ConfigureAwait(false);
        }
        finally
        {
            server.ClientLeft();
        }
    }

    /// <summary>Sends the log from after the last id sent: frames gathered in one buffer, one write per 64 KiB of them, one flush at the end.</summary>
    private void CatchUp(Stream output)
    {
        using var batch = new SseBuffer();
        RunEventReader.Read(run, new RunEventQuery { FromSequence = last + 1 }, line =>
        {
            if (line.Sequence > last && !completed)
            {
                SseFrame.Append(batch, line);
                last = line.Sequence;
                completed = line.Type == RunEventTypes.Completed;
                if (batch.Count >= SseBuffer.Batch)
                {
                    batch.MoveTo(output);
                }
            }
        }, _ => { }, server.Stopping);
        batch.MoveTo(output);
        output.Flush();
    }

    /// <summary>Sends the feed's batches of frames until run.completed (true) or until the feed drops or ends this client (false).</summary>
    private async Task<bool> LiveAsync(Stream output, RunFeeds.Subscription subscription)
    {
        var reader = subscription.Buffer.Reader;
        while (true)
        {
            var ready = reader.WaitToReadAsync(server.Stopping).AsTask();
            if (await Task.WhenAny(ready, Task.Delay(Heartbeat, server.Stopping)).ConfigureAwait(false) != ready)
            {
                // A comment line keeps proxies from closing an idle stream and finds clients that left.
                output.Write(": ping\n\n"u8);
                await output.FlushAsync(server.Stopping).ConfigureAwait(false);
                continue;
            }

            if (!await ready.ConfigureAwait(false))
            {
                return false;
            }

            while (reader.TryRead(out var batch))
            {
                Interlocked.Add(ref subscription.Queued, -batch.Length);
                foreach (var frame in batch)
                {
                    if (frame.Sequence <= last)
                    {
                        continue;
                    }

                    output.Write(frame.Bytes);
                    last = frame.Sequence;
                    if (frame.Completes)
                    {
                        return true;
                    }
                }
            }

            await output.FlushAsync(server.Stopping).ConfigureAwait(false);
        }
    }
}
