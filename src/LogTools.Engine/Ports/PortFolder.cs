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

    private PortFolder(string digest, string? stats, int filesRead, Func<IReadOnlyList<DirectoryChecksumEntry>> files)
    {
        Digest = digest;
        Stats = stats;
        FilesRead = filesRead;
        this.files = new Lazy<IReadOnlyList<DirectoryChecksumEntry>>(files);
    }

    /// <summary>The folder's <see cref="DirectoryChecksum"/> digest.</summary>
    public string Digest { get; }

    /// <summary>The files' stat tuples as JSON (path order; racy ones marked), or null where there are none (not Linux).</summary>
    public string? Stats { get; }

    /// <summary>How many files the sum read (the others were vouched for by their stat tuples).</summary>
    public int FilesRead { get; }

    /// <summary>The files as summed; from the index, parsed only when asked (a no-op asks for none).</summary>
    public IReadOnlyList<DirectoryChecksumEntry> Files => files.Value;

    /// <summary>A folder as the checksum index recorded it.</summary>
    public static PortFolder Stored(string digest, string? stats, string filesJson) =>
        new(digest, stats, 0, () => JsonSerializer.Deserialize<DirectoryChecksumEntry[]>(filesJson)!);

    /// <summary>Sums <paramref name="folder"/>, reading only the files whose tuples differ from <paramref name="known"/>'s.</summary>
    /// <exception cref="LogToolsException">The folder does not exist, or a file in it cannot be read.</exception>
    public static PortFolder Scan(string folder, PortFolder? known, CancellationToken cancellationToken)
    {
        var stats = new SortedDictionary<string, PortFileStat?>(StringComparer.Ordinal);
        foreach (var (relative, path) in DirectoryChecksum.Files(folder, cancellationToken))
        {
            stats[relative] = PortFileStat.Of(path);
        }

        var text = stats.Values.All(s => s is not null) ? Write(stats) : null;
        if (known is not null && text is not null && text == known.Stats && !stats.Values.Any(s => s!.Value.Racy))
        {
            return new PortFolder(known.Digest, text, 0, () => known.Files);
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
        return new PortFolder(sum.Digest, text, sum.Entries.Count - reused, () => sum.Entries);
    }

    // [[path, length, mtime ns, ctime ns, inode, device], ...]; a racy tuple has ctime -1, so it matches no later one.
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

    // The tuples of Write that vouch for their files (not racy).
    private static Dictionary<string, PortFileStat> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new Dictionary<string, PortFileStat>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item[3].GetInt64() >= 0)
            {
                result[item[0].GetString()!] = new PortFileStat(item[1].GetInt64(), item[2].GetInt64(), item[3].GetInt64(), item[4].GetUInt64(), item[5].GetUInt64());
            }
        }

        return result;
    }
}
