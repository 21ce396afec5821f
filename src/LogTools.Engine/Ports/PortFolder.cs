using System.Buffers;
using System.Text;
using System.Text.Json;
using LogTools.Engine.Hashing;

namespace LogTools.Engine.Ports;

/// <summary>
/// A port folder's content sum, taken stat-first: the files' <see cref="PortFileStat"/> tuples are compared with those
/// recorded when the files were last hashed, and only a file whose tuple changed (or is racy, or unknown) is read
/// again. Content stays the authority: a tuple only says "these are the bytes hashed before"; when every tuple of the
/// folder matches, the recorded folder sum is used as it stands.
/// </summary>
internal sealed class PortFolder
{
    private readonly Lazy<IReadOnlyList<DirectoryChecksumEntry>> files;

    private PortFolder(string digest, string? stats, int filesRead, bool listed, Func<IReadOnlyList<DirectoryChecksumEntry>> files)
    {
        Digest = digest;
        Stats = stats;
        FilesRead = filesRead;
        Listed = listed;
        this.files = new Lazy<IReadOnlyList<DirectoryChecksumEntry>>(files);
    }

    /// <summary>The folder's <see cref="DirectoryChecksum"/> digest.</summary>
    public string Digest { get; }

    /// <summary>The files' stat tuples as JSON (path order; racy ones marked), or null where there are none (not Linux).</summary>
    public string? Stats { get; }

    /// <summary>How many files the sum read (the others were vouched for by their stat tuples).</summary>
    public int FilesRead { get; }

    /// <summary>Whether the sum listed the folder (it does not when the tuples of its folders are the recorded ones).</summary>
    public bool Listed { get; }

    /// <summary>The files as summed; from the index, parsed only when asked (a no-op asks for none).</summary>
    public IReadOnlyList<DirectoryChecksumEntry> Files => files.Value;

    /// <summary>A folder as the checksum index recorded it.</summary>
    public static PortFolder Stored(string digest, string? stats, string filesJson) =>
        new(digest, stats, 0, false, () => JsonSerializer.Deserialize<DirectoryChecksumEntry[]>(filesJson)!);

    /// <summary>
    /// Sums <paramref name="folder"/>, reading only the files whose tuples differ from <paramref name="known"/>'s; when
    /// the tuples of <paramref name="known"/>'s folders are all unchanged, not even listing it (see <see cref="Unchanged"/>).
    /// </summary>
    /// <exception cref="LogToolsException">The folder does not exist, or a file in it cannot be read.</exception>
    public static PortFolder Scan(string folder, PortFolder? known, CancellationToken cancellationToken)
    {
        if (known is not null && Unchanged(folder, known))
        {
            return new PortFolder(known.Digest, known.Stats, 0, false, () => known.Files);
        }

        // A folder's tuple is taken before it is listed, so an entry made after the listing changes it.
        var stats = new SortedDictionary<string, PortFileStat?>(StringComparer.Ordinal);
        foreach (var (relative, path) in DirectoryChecksum.Files(folder, (relative, path) => stats[relative + "/"] = PortFileStat.Of(path), cancellationToken))
        {
            stats[relative] = PortFileStat.Of(path);
        }

        var text = stats.Values.All(s => s is not null) ? Write(stats) : null;
        if (known is not null && text is not null && text == known.Stats && !stats.Values.Any(s => s!.Value.Racy))
        {
            return new PortFolder(known.Digest, text, 0, true, () => known.Files);
        }

        var trusted = known?.Stats is { } old ? Read(old) : [];
        var entries = known is null || trusted.Count == 0 ? null : known.Files.ToDictionary(e => e.RelativePath, StringComparer.Ordinal);
        var reused = 0;
        var sum = DirectoryChecksum.Compute(folder, (relative, _) =>
        {
            if (entries is not null && stats.TryGetValue(relative, out var now) && now is { Racy: false } stat
                && trusted.TryGetValue(relative, out var then) && then == stat && entries.TryGetValue(relative, out var entry))
            {
                reused++;
                return entry;
            }

            return null;
        }, cancellationToken);
        return new PortFolder(sum.Digest, text, sum.Entries.Count - reused, true, () => sum.Entries);
    }

    /// <summary>
    /// Whether every file and folder <paramref name="known"/> recorded still has its recorded tuple, none of them racy,
    /// statting each without listing any folder. It relies on what the kernel does to a folder: creating, removing or
    /// renaming an entry in it (a file, a link or a subfolder) sets the folder's mtime and ctime, so a folder whose tuple
    /// is unchanged holds the entries it held when it was listed (its tuple taken before that listing). A record
    /// without folder tuples (written before they were kept) vouches for no listing.
    /// </summary>
    private static bool Unchanged(string folder, PortFolder known)
    {
        if (known.Stats is not { } text)
        {
            return false;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var folders = 0;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var path = reader.GetString()!;
            var recorded = new PortFileStat(Next(ref reader).GetInt64(), Next(ref reader).GetInt64(), Next(ref reader).GetInt64(), Next(ref reader).GetUInt64(), Next(ref reader).GetUInt64());
            reader.Read();
            var isFolder = path.EndsWith('/');
            var full = path == "/" ? root : Path.Join(root, isFolder ? path[..^1] : path);
            if (recorded.ChangedNs < 0 || PortFileStat.Of(full) is not { Racy: false } now || now != recorded)
            {
                return false;
            }

            folders += isFolder ? 1 : 0;
        }

        return folders > 0;
    }

    private static ref Utf8JsonReader Next(ref Utf8JsonReader reader)
    {
        reader.Read();
        return ref reader;
    }

    // [[path, length, mtime ns, ctime ns, inode, device], ...], a folder's path ending in '/' (the port folder itself: "/");
    // a racy tuple has ctime -1, so it matches no later one.
    private static string Write(SortedDictionary<string, PortFileStat?> stats)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (path, value) in stats)
            {
                var stat = value!.Value;
                writer.WriteStartArray();
                writer.WriteStringValue(path);
                writer.WriteNumberValue(stat.Length);
                writer.WriteNumberValue(stat.ModifiedNs);
                writer.WriteNumberValue(stat.Racy ? -1 : stat.ChangedNs);
                writer.WriteNumberValue(stat.Inode);
                writer.WriteNumberValue(stat.Device);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The tuples of Write that vouch for their files (not racy; not the folders').
    private static Dictionary<string, PortFileStat> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new Dictionary<string, PortFileStat>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item[3].GetInt64() >= 0 && !item[0].GetString()!.EndsWith('/'))
            {
                result[item[0].GetString()!] = new PortFileStat(item[1].GetInt64(), item[2].GetInt64(), item[3].GetInt64(), item[4].GetUInt64(), item[5].GetUInt64());
            }
        }

        return result;
    }
}
