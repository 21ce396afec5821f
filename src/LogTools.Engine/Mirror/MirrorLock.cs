using System.Diagnostics;

namespace LogTools.Engine.Mirror;

/// <summary>
/// One sync per source at a time, across processes: an exclusive lock on a lock file (flock on Unix,
/// a share-none handle on Windows), released by the OS if the process dies, so a killed sync never
/// leaves a stale lock behind.
/// </summary>
internal sealed class MirrorLock : IDisposable
{
    private readonly FileStream stream;

    private MirrorLock(FileStream stream) => this.stream = stream;

    public static MirrorLock Acquire(string path, string source, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new MirrorLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException ex) when (File.Exists(path))
            {
                if (clock.Elapsed >= timeout)
                {
                    throw new LogToolsException(
                        "SyncInProgress", ErrorKind.ResourceBusy, source,
                        $"Another sync of the source '{source}' has held its lock ('{path}') for {timeout.TotalSeconds:0.#} s. " +
                        "Nothing was changed; run the sync again later or give a longer -LockTimeout.", ex);
                }

                Thread.Sleep(50);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
