using System.Threading.Channels;
using LogTools.Engine.Runs;

namespace LogTools.Engine.Server;

/// <summary>
/// The followers of open runs, one per run however many SSE clients watch it: it follows the run's log (appended by
/// other processes), encodes each new event once, and hands the events read together to every client's bounded
/// buffer as one batch, so that a client wakes and writes once per batch, not once per event. A client whose buffer
/// is full is dropped from the feed and marked lagging, so it slows neither the writers nor the other clients; it
/// drains what it has and is told to reconnect from its last id. A feed ends after run.completed, or when its last
/// client leaves.
/// </summary>
internal sealed class RunFeeds
{
    /// <summary>Events a client may be behind the feed before it is told to reconnect.</summary>
    public const int ClientBuffer = 8192;

    private readonly object gate = new();
    private readonly Dictionary<string, Feed> feeds = new(StringComparer.Ordinal);

    /// <summary>Joins the feed of <paramref name="run"/>, starting one at <paramref name="from"/> when there is none.</summary>
    public Subscription Join(LogRun run, long from, CancellationToken stopping)
    {
        var subscription = new Subscription(this);
        lock (gate)
        {
            if (!feeds.TryGetValue(run.RunId, out var feed))
            {
                feed = new Feed(run.RunId, CancellationTokenSource.CreateLinkedTokenSource(stopping));
                feeds[run.RunId] = feed;
                var thread = new Thread(() => Follow(feed, run, from)) { IsBackground = true, Name = "LogServer feed " + run.RunId };
                thread.Start();
            }

            subscription.Feed = feed;
            feed.Clients.Add(subscription);
        }

        return subscription;
    }

    private void Follow(Feed feed, LogRun run, long from)
    {
        var scratch = new SseBuffer();
        try
        {
            RunEventReader.Read(run, new RunEventQuery { FromSequence = from, Follow = true }, line => Add(feed, SseFrame.Of(line, scratch)), _ => { }, feed.Cancel.Token);
        }
        catch (Exception ex) when (ex is LogToolsException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // The clients see their buffers complete without run.completed and are told to reconnect, which reads the log again.
        }
        finally
        {
            lock (gate)
            {
                Publish(feed); // run.completed may still wait for its batch
                feeds.Remove(feed.RunId);
                foreach (var client in feed.Clients)
                {
                    client.Buffer.Writer.TryComplete();
                }

                feed.Clients.Clear();
            }

            feed.Cancel.Dispose();
            scratch.Dispose();
        }
    }

    /// <summary>
    /// Queues <paramref name="frame"/> for the clients. The first frame of a batch schedules its publication; the
    /// frames the follower reads until then (the rest of what was appended) join the same batch.
    /// </summary>
    private void Add(Feed feed, SseFrame frame)
    {
        bool first;
        lock (feed.Pending)
        {
            first = feed.Pending.Count == 0;
            feed.Pending.Add(frame);
        }

        if (first)
        {
            ThreadPool.UnsafeQueueUserWorkItem(f => PublishLocked(f), feed, preferLocal: false);
        }
    }

    private void PublishLocked(Feed feed)
    {
        lock (gate)
        {
            Publish(feed);
        }
    }

    /// <summary>Hands the frames waiting in <paramref name="feed"/> to its clients as one batch. Under <see cref="gate"/>, so batches keep their order.</summary>
    private static void Publish(Feed feed)
    {
        SseFrame[] batch;
        lock (feed.Pending)
        {
            batch = [.. feed.Pending];
            feed.Pending.Clear();
        }

        if (batch.Length == 0)
        {
            return;
        }

        for (var i = feed.Clients.Count - 1; i >= 0; i--)
        {
            var client = feed.Clients[i];
            if (Interlocked.Add(ref client.Queued, batch.Length) > ClientBuffer)
            {
                client.Lagging = true;
                client.Buffer.Writer.TryComplete();
                feed.Clients.RemoveAt(i);
            }
            else
            {
                client.Buffer.Writer.TryWrite(batch);
            }
        }
    }

    private void Leave(Subscription subscription)
    {
        lock (gate)
        {
            var feed = subscription.Feed!;
            if (feed.Clients.Remove(subscription) && feed.Clients.Count == 0 && feeds.Remove(feed.RunId))
            {
                feed.Cancel.Cancel();
            }
        }
    }

    /// <summary>One client's place in a feed: the batches waiting for it, and whether it fell too far behind.</summary>
    internal sealed class Subscription(RunFeeds owner) : IDisposable
    {
        /// <summary>Frames in <see cref="Buffer"/>: the feed counts them up, the client down as it takes batches; it bounds the buffer.</summary>
        public int Queued;

        public Channel<SseFrame[]> Buffer { get; } = Channel.CreateUnbounded<SseFrame[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        public bool Lagging { get; set; }

        internal Feed? Feed { get; set; }

        public void Dispose() => owner.Leave(this);
    }

    internal sealed class Feed(string runId, CancellationTokenSource cancel)
    {
        public string RunId { get; } = runId;

        public CancellationTokenSource Cancel { get; } = cancel;

        public List<Subscription> Clients { get; } = [];

        /// <summary>Frames read but not yet handed to the clients.</summary>
        public List<SseFrame> Pending { get; } = [];
    }
}
