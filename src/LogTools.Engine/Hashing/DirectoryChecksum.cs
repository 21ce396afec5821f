using System.Buffers.Binary;
using System.IO.Enumeration;
using System.Text;

namespace LogTools.Engine.Hashing;

/// <summary>
/// A content checksum of a folder tree: BLAKE3 over every file's relative path, kind, length and BLAKE3
/// digest, in ordinal path order. It depends on what the files hold and where they sit, never on mtimes,
/// owners or the order the file system lists them in; empty folders add nothing. A symbolic link counts
/// by its target text (it is not followed), so a link out of the tree cannot make the sum depend on
/// files elsewhere. Callers that key on more (a port's options and its dependencies' checksums) hash this
/// digest together with those.
/// </summary>
public sealed class DirectoryChecksum
{
    private DirectoryChecksum(string root, IReadOnlyList<DirectoryChecksumEntry> entries, byte[] digest)
    {
        Root = root;
        Entries = entries;
        Digest = HexDigest.Of(digest);
    }

    /// <summary>The folder that was summed.</summary>
    public string Root { get; }

    /// <summary>Every file, in the order they were summed (ordinal by relative path).</summary>
    public IReadOnlyList<DirectoryChecksumEntry> Entries { get; }

    /// <summary>The checksum, lowercase hex.</summary>
    public string Digest { get; }

    /// <summary>Sums the tree under <paramref name="folder"/>.</summary>
    /// <exception cref="LogToolsException">The folder does not exist, or a file in it cannot be read.</exception>
    public static DirectoryChecksum Compute(string folder, CancellationToken cancellationToken = default) => Compute(folder, null, cancellationToken);

    /// <summary>
    /// Sums the tree under <paramref name="folder"/>; <paramref name="reuse"/> may give a file's entry (by its relative
    /// path and full path) without its bytes being read, as a caller that can vouch the file is unchanged does.
    /// </summary>
    /// <exception cref="LogToolsException">The folder does not exist, or a file in it cannot be read.</exception>
    internal static DirectoryChecksum Compute(string folder, Func<string, string, DirectoryChecksumEntry?>? reuse, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(folder);
        var options = new Blake3Options { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken };
        var entries = new List<DirectoryChecksumEntry>();
        foreach (var (relative, path) in Files(folder, cancellationToken))
        {
            if (reuse?.Invoke(relative, path) is { } known)
            {
                entries.Add(known);
            }
            else if (new FileInfo(path).LinkTarget is { } target)
            {
                var bytes = Encoding.UTF8.GetBytes(target);
                entries.Add(new DirectoryChecksumEntry(relative, DirectoryChecksumEntryKind.SymbolicLink, bytes.Length, HexDigest.Of(Blake3Hasher.Hash(bytes))));
            }
            else
            {
                var hash = FileBlake3.Compute(path, options);
                entries.Add(new DirectoryChecksumEntry(relative, DirectoryChecksumEntryKind.File, hash.Length, hash.Hash));
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new DirectoryChecksum(root, entries, Sum(entries));
    }

    /// <summary>
    /// The files and symbolic links a sum of <paramref name="folder"/> covers, by relative path ('/' separated) and full
    /// path, in no order.
    /// </summary>
    /// <exception cref="LogToolsException">FolderNotFound.</exception>
    internal static IEnumerable<(string RelativePath, string FullPath)> Files(string folder, CancellationToken cancellationToken) =>
        Files(folder, null, cancellationToken);

    /// <summary>
    /// The files as <see cref="Files(string, CancellationToken)"/>; <paramref name="listing"/> is told of each folder of
    /// the tree (its relative path, "" for the root, and its full path) just before that folder is listed.
    /// </summary>
    /// <exception cref="LogToolsException">FolderNotFound.</exception>
    internal static IEnumerable<(string RelativePath, string FullPath)> Files(string folder, Action<string, string>? listing, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(root))
        {
            throw new LogToolsException("FolderNotFound", ErrorKind.ObjectNotFound, folder, $"The folder '{folder}' does not exist.");
        }

        return Enumerate(root, listing, cancellationToken);
    }

    // Lists folder by folder, yielding paths, no FileSystemInfo: a file's entry needs no stat; a folder that is a link is
    // an entry like a file, and is not followed.
    private static IEnumerable<(string, string)> Enumerate(string root, Action<string, string>? listing, CancellationToken cancellationToken)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            listing?.Invoke(Relative(root, folder), folder);
            var entries = new FileSystemEnumerable<(string Path, bool Folder)>(folder, (ref FileSystemEntry entry) =>
                (entry.ToFullPath(), entry.IsDirectory && !entry.Attributes.HasFlag(FileAttributes.ReparsePoint)), options);
            foreach (var (path, isFolder) in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (isFolder)
                {
                    pending.Push(path);
                }
                else
                {
                    yield return (Relative(root, path), path);
                }
            }
        }
    }

    private static string Relative(string root, string path) =>
        path.Length == root.Length ? string.Empty : path[(root.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The entries that differ between two sums of the same tree: added, removed or changed paths, in path order.</summary>
    public static IReadOnlyList<string> Changed(IEnumerable<DirectoryChecksumEntry> before, IEnumerable<DirectoryChecksumEntry> after)
    {
        var old = before.ToDictionary(e => e.RelativePath, StringComparer.Ordinal);
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in after)
        {
            if (!old.Remove(entry.RelativePath, out var was) || was != entry)
            {
                changed.Add(entry.RelativePath);
            }
        }

        changed.UnionWith(old.Keys);
        return [.. changed];
    }

    // Each record: u32 path length, UTF-8 path, kind byte, u64 length, 32-byte digest — lengths first, so
    // no two different listings can serialise to the same bytes.
    private static byte[] Sum(IEnumerable<DirectoryChecksumEntry> entries)
    {
        var hasher = Blake3Hasher.Create();
        Span<byte> fixedPart = stackalloc byte[8];
        foreach (var entry in entries)
        {
            var path = Encoding.UTF8.GetBytes(entry.RelativePath);
            BinaryPrimitives.WriteUInt32LittleEndian(fixedPart, (uint)path.Length);
            hasher.Update(fixedPart[..4]).Update(path).Update([(byte)entry.Kind]);
            BinaryPrimitives.WriteUInt64LittleEndian(fixedPart, (ulong)entry.Length);
            hasher.Update(fixedPart).Update(Convert.FromHexString(entry.Blake3));
        }

        var digest = new byte[32];
        hasher.Finalize(digest);
        return digest;
    }

}
