using System.Diagnostics;

namespace LogTools.Engine.Store;

/// <summary>
/// Backup-LogStore: a consistent copy of a store while it is in use. The index is copied first with SQLite's
/// online backup (one snapshot), then the content folders; content files are append-only or written whole, so
/// the later copy holds at least everything the snapshot points to. Everything goes into a hidden temporary
/// folder beside the destination, is verified (integrity check of every copied database, the hash of every copied
/// file against the bytes read), and only then renamed to the destination: a folder with the destination's name
/// is always a whole, verified backup.
/// </summary>
public static class StoreBackup
{
    /// <summary>The store's content folders, as the registered areas name them; copied when present.</summary>
    public static IReadOnlyList<string> ContentFolders => [.. StoreSchema.Areas.SelectMany(a => a.ContentFolders)];

    /// <summary>Starts the hash that verifies copied files; set once when the engine loads (EngineAreas).</summary>
    internal static Func<IBackupHasher> Hasher { get; set; } = () => throw new InvalidOperationException("No backup hash is registered (EngineAreas sets one).");

    private static readonly ContentCopyFailure Failure = new("BackupVerificationFailed", "no backup was kept", "Backup-LogStore");

    /// <param name="cancellationToken">Checked between the database copy's steps, content files and their blocks: a stop removes the partial copy as a failure does.</param>
    public static StoreBackupResult Create(LogStore store, string destination, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = CheckDestination(store, destination);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target)!, $".{System.IO.Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        var copies = new List<StoreDatabase>();
        try
        {
            Directory.CreateDirectory(temporary);
            progress?.Invoke(store.Database.DatabasePath);
            var database = CopyDatabase(store.Database, System.IO.Path.Combine(temporary, LogStore.DatabaseFileName), copies, cancellationToken);
            var (files, bytes) = CopyContent(store.Path, temporary, copies, Failure, progress, cancellationToken);
            Directory.Move(temporary, target);
            return new StoreBackupResult
            {
                Path = target, StorePath = store.Path, DatabaseBytes = database, ContentFiles = files, ContentBytes = bytes, Duration = clock.Elapsed,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Discard(temporary, copies);
            throw new LogToolsException(
                "BackupWriteFailed", ErrorKind.WriteError, target,
                $"The backup of '{store.Path}' to '{target}' failed ({ex.Message}); the partial copy was removed and the store was not changed. " +
                "Free space at the destination or choose another one, and run Backup-LogStore again.", ex);
        }
        catch
        {
            Discard(temporary, copies);
            throw;
        }
    }

    /// <summary>
    /// Checks the store and <paramref name="destination"/> as <see cref="Create"/> does (StoreBackendUnsupported,
    /// BackupDestinationExists, BackupInsideStore, BackupParentNotFound) and says what a backup would copy; writes nothing.
    /// </summary>
    public static StoreCopyPlan Plan(LogStore store, string destination)
    {
        CheckDestination(store, destination);
        return StoreCopyPlan.Of(store, StoreContentMode.Copy);
    }

    /// <summary>Refuses a backend the backup cannot copy, then a destination it must not write; returns the destination's full path.</summary>
    private static string CheckDestination(LogStore store, string destination)
    {
        store.Database.RefuseBackup();
        var target = System.IO.Path.GetFullPath(destination).TrimEnd(System.IO.Path.DirectorySeparatorChar);
        if (Directory.Exists(target) || File.Exists(target))
        {
            throw new LogToolsException(
                "BackupDestinationExists", ErrorKind.InvalidArgument, target,
                $"'{target}' already exists. Backup-LogStore writes a new folder and never merges into or replaces one; give a new path.");
        }

        var root = store.Path.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        if (target.StartsWith(root, StringComparison.Ordinal))
        {
            throw new LogToolsException(
                "BackupInsideStore", ErrorKind.InvalidArgument, target,
                $"'{target}' is inside the store '{store.Path}'; a backup there would copy itself and die with the store. Choose a folder outside it.");
        }

        var parent = System.IO.Path.GetDirectoryName(target);
        if (parent is null || !Directory.Exists(parent))
        {
            throw new LogToolsException(
                "BackupParentNotFound", ErrorKind.ObjectNotFound, target,
                $"The folder '{parent}' that should hold the backup does not exist. Create it (for example on the backup disk) or give another path.");
        }

        return target;
    }

    private static long CopyDatabase(StoreDatabase source, string path, List<StoreDatabase> copies, CancellationToken cancellationToken)
    {
        source.BackupTo(path, cancellationToken);
        copies.Add(StoreDatabase.Open(path, existing: true));
        return new FileInfo(path).Length;
    }

    /// <summary>
    /// Copies the content folders of the store in <paramref name="sourceRoot"/> into <paramref name="destinationRoot"/>, each file
    /// verified by its hash and each database (the archive's) by SQLite's integrity check.
    /// </summary>
    internal static (int Files, long Bytes) CopyContent(
        string sourceRoot, string destinationRoot, List<StoreDatabase> copies, ContentCopyFailure failure, Action<string>? progress, CancellationToken cancellationToken)
    {
        var files = 0;
        long bytes = 0;
        foreach (var folder in ContentFolders)
        {
            var databases = StoreSchema.Areas.Any(a => a.DatabaseFolders.Contains(folder));
            var source = System.IO.Path.Combine(sourceRoot, folder);
            if (!Directory.Exists(source))
            {
                continue;
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            foreach (var file in Directory.EnumerateFiles(source, "*", options).Where(IsContent).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Invoke(file);
                var copy = System.IO.Path.Combine(destinationRoot, System.IO.Path.GetRelativePath(sourceRoot, file));
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
                // Databases beside the index (the archive's) may be written at this moment: copy them as databases too.
                bytes += databases && file.EndsWith(".db", StringComparison.Ordinal)
                    ? CopyDatabase(StoreDatabase.Open(file, existing: true), copy, copies, cancellationToken)
                    : CopyFile(file, copy, failure, cancellationToken);
                files++;
            }
        }

        foreach (var copy in copies)
        {
            var findings = copy.IntegrityFindings(cancellationToken);
            copy.ReleaseConnections();
            if (findings.Count > 0)
            {
                throw new LogToolsException(
                    failure.Id, ErrorKind.InvalidData, copy.DatabasePath,
                    $"The copy of '{copy.DatabasePath}' failed SQLite's integrity check ({findings[0]}); {failure.Outcome}. " +
                    $"Run Test-LogStore on the store, then {failure.Command} again.");
            }
        }

        return (files, bytes);
    }

    /// <summary>SQLite's side files and LogTools' own temporary files are not content.</summary>
    private static bool IsContent(string path) =>
        !(path.EndsWith("-wal", StringComparison.Ordinal) || path.EndsWith("-shm", StringComparison.Ordinal) || path.EndsWith("-journal", StringComparison.Ordinal)
          || path.EndsWith(".tmp", StringComparison.Ordinal) || path.EndsWith(StoreDatabase.CorruptMarkerSuffix, StringComparison.Ordinal));

    /// <summary>Copies the bytes there are now (an active log may grow meanwhile), hashing them, then checks the copy on disk against that hash.</summary>
    private static long CopyFile(string source, string copy, ContentCopyFailure failure, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        string read;
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var output = new FileStream(copy, FileMode.CreateNew, FileAccess.Write))
        {
            read = Hash(input, buffer, output, cancellationToken);
            output.Flush(flushToDisk: true);
        }

        using var written = new FileStream(copy, FileMode.Open, FileAccess.Read);
        if (Hash(written, buffer, null, cancellationToken) != read)
        {
            throw new LogToolsException(
                failure.Id, ErrorKind.InvalidData, copy,
                $"The copy of '{source}' does not hash to the bytes read from it; {failure.Outcome}. Check the destination disk and run {failure.Command} again.");
        }

        return written.Length;
    }

    /// <summary>The hash of <paramref name="input"/> read to its end, writing the bytes on to <paramref name="copy"/> when given; a stop is seen between blocks.</summary>
    private static string Hash(Stream input, byte[] buffer, Stream? copy, CancellationToken cancellationToken)
    {
        var hasher = Hasher();
        int count;
        while ((count = input.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hasher.Append(buffer.AsSpan(0, count));
            copy?.Write(buffer, 0, count);
        }

        return hasher.Finish();
    }

    private static void Discard(string temporary, List<StoreDatabase> copies)
    {
        copies.ForEach(c => c.ReleaseConnections());
        try
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The partial folder keeps its hidden temporary name, so it is never taken for a backup.
        }
    }
}
