using System.Collections.Concurrent;
using System.Net;
using LogTools.Engine.Store;

namespace LogTools.Engine.Server;

/// <summary>
/// The live view's HTTP server: the runs API, SSE streams of run events and the page, over one store opened for
/// reading. Built on <see cref="HttpListener"/>, which is in the base library: ASP.NET Core's Kestrel needs the
/// ASP.NET Core shared framework, which pwsh does not load for a module. Each request is handled on the thread pool;
/// the servers of this process are listed in <see cref="Running"/>.
/// </summary>
public sealed class LogServer : IDisposable
{
    private static readonly ConcurrentDictionary<int, LogServer> Servers = new();

    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ServerApi api;
    private readonly Task accepting;
    private int clients;

    private LogServer(LogStore store, IPAddress address, int port)
    {
        ListenAddress = address.ToString();
        Port = port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : ListenAddress;
        Url = $"http://{host}:{port}/";
        StorePath = store.Path;
        listener.Prefixes.Add(IPAddress.Any.Equals(address) || IPAddress.IPv6Any.Equals(address) ? $"http://+:{port}/" : Url);
        api = new ServerApi(store, this);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new LogToolsException(
                "ServerPortUnavailable", ErrorKind.ResourceBusy, port,
                $"Cannot listen on {Url}: {ex.Message}. Choose another -Port, or stop what uses this one.", ex);
        }

        StartedAt = DateTimeOffset.Now;
        accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The servers this process runs, by port.</summary>
    public static IReadOnlyList<LogServer> Running => [.. Servers.Values.OrderBy(s => s.Port)];

    /// <summary>The address to open in a browser.</summary>
    public string Url { get; }

    public string ListenAddress { get; }

    public int Port { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>SSE clients connected now.</summary>
    public int Clients => Volatile.Read(ref clients);

    public string StorePath { get; }

    /// <summary>
    /// Serves <paramref name="store"/> (opened for reading) on <paramref name="address"/>:<paramref name="port"/>
    /// in the background until <see cref="Stop"/>.
    /// </summary>
    public static LogServer Start(LogStore store, string address, int port)
    {
        var ip = ParseAddress(address);
        if (port is < 1 or > 65535)
        {
            throw new LogToolsException(
                "ServerPortInvalid", ErrorKind.InvalidArgument, port, $"Port {port} is not a TCP port; give 1 to 65535.");
        }

        if (Servers.ContainsKey(port))
        {
            throw new LogToolsException(
                "ServerAlreadyRunning", ErrorKind.ResourceBusy, port,
                $"This session already runs a log server on port {port}. Stop it with Stop-LogServer -Port {port}, or choose another -Port.");
        }

        var server = new LogServer(store, ip, port);
        Servers[port] = server;
        return server;
    }

    /// <summary>Whether <paramref name="address"/> only accepts connections from this machine.</summary>
    public static bool IsLoopback(string address) => IPAddress.IsLoopback(ParseAddress(address));

    /// <summary>Stops listening and ends every open request and stream.</summary>
    public void Stop()
    {
        Servers.TryRemove(new KeyValuePair<int, LogServer>(Port, this));
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        stopping.Cancel();
        listener.Close();
        try
        {
            accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener's own error once it is closed; there is nothing left to report.
        }
    }

    /// <summary>Blocks until the server is stopped or <paramref name="cancel"/> is cancelled.</summary>
    public void Wait(CancellationToken cancel) => WaitHandle.WaitAny([stopping.Token.WaitHandle, cancel.WaitHandle]);

    public void Dispose()
    {
        Stop();
        stopping.Dispose();
    }

    internal CancellationToken Stopping => stopping.Token;

    internal void ClientConnected() => Interlocked.Increment(ref clients);

    internal void ClientLeft() => Interlocked.Decrement(ref clients);

    private static IPAddress ParseAddress(string address) => IPAddress.TryParse(address, out var ip) ? ip
        : address.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : throw new LogToolsException(
            "ServerAddressInvalid", ErrorKind.InvalidArgument, address,
            $"'{address}' is not an IP address to listen on. Give 127.0.0.1 (this machine only), ::1, 0.0.0.0 (every interface) or one of this machine's addresses.");

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed by Stop
            }

            _ = Task.Run(() => api.HandleAsync(context));
        }
    }
}
