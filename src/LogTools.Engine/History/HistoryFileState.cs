using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using LogTools.Engine.Hashing;
using LogTools.Engine.Journal;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// One row of history_import_files: where the last import of a file stopped, and enough about the file then
/// (size, modification time, a fingerprint of the imported prefix) to tell "unchanged", "grown" and "replaced" apart.
/// </summary>
internal sealed record HistoryFileState(string Path, string Machine, long? Size, string Mtime, long EndOffset, string Fingerprint)
{
    /// <summary>The fingerprint of a gzip file: its offsets count decompressed bytes, so a changed one is re-read from 0.</summary>
    public const string Compressed = "gzip";

    private const int LegacyEdgeBytes = 4096;

    private const int LegacyLength = 64;

    /// <summary>Every state recorded for <paramref name="machine"/>, by path: one query however many files.</summary>
    public static Dictionary<string, HistoryFileState> Load(StoreDatabase database, string machine) => database.Read(connection =>
    {
        var states = new Dictionary<string, HistoryFileState>(StringComparer.Ordinal);
        Sql.ForEach(
            connection, null, "SELECT path, size, mtime, end_offset, fingerprint FROM history_import_files WHERE machine = $machine", [("$machine", machine)],
            r => states[r.GetString(0)] = new HistoryFileState(r.GetString(0), machine, Sql.Integer(r, 1), r.GetString(2), r.GetInt64(3), r.GetString(4)));
        return states;
    });

    /// <summary>Records this state inside the caller's transaction (the one that inserts the rows it covers).</summary>
    public void Save(DbConnection connection, DbTransaction transaction) => Sql.Execute(
        connection, transaction, """
            INSERT INTO history_import_files (path, machine, size, mtime, end_offset, fingerprint, imported_at)
            VALUES ($path, $machine, $size, $mtime, $end, $fingerprint, $now)
            ON CONFLICT (path, machine) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
                end_offset = excluded.end_offset, fingerprint = excluded.fingerprint, imported_at = excluded.imported_at
            """,
        ("$path", Path), ("$machine", Machine), ("$size", Size), ("$mtime", Mtime), ("$end", EndOffset), ("$fingerprint", Fingerprint),
        ("$now", StoreTime.ToText(DateTimeOffset.UtcNow)));

    /// <summary>The fingerprint recorded for the first <paramref name="length"/> bytes: see <see cref="AppendFingerprint"/>.</summary>
    public static string FingerprintOf(SafeFileHandle file, long length) => AppendFingerprint.Of(file, length).ToString();

    /// <summary>
    /// Whether the file still starts with the <see cref="EndOffset"/> bytes imported last time (it was appended to,
    /// not replaced). Fingerprints recorded before BLAKE3 (64 hex digits of SHA-256 over the first and last 4 KiB and
    /// the length) are still compared their way, so an upgrade does not make the next import re-read every file;
    /// that import records the BLAKE3 form.
    /// </summary>
    public bool Continues(SafeFileHandle file) => Fingerprint.Length == LegacyLength
        ? LegacyFingerprintOf(file, EndOffset) == Fingerprint
        : AppendFingerprint.Parse(Fingerprint) == AppendFingerprint.Of(file, EndOffset);

    private static string LegacyFingerprintOf(SafeFileHandle file, long length)
    {
        Span<byte> edges = stackalloc byte[2 * LegacyEdgeBytes + sizeof(long)];
        var head = (int)Math.Min(LegacyEdgeBytes, length);
        var tail = (int)Math.Min(LegacyEdgeBytes, length - head);
        var read = ReadAt(file, edges[..head], 0) + ReadAt(file, edges.Slice(head, tail), length - tail);
        BitConverter.TryWriteBytes(edges.Slice(read, sizeof(long)), length);
        return Convert.ToHexString(SHA256.HashData(edges[..(read + sizeof(long))]));
    }

    /// <summary>True when the file starts with the gzip magic bytes.</summary>
    public static bool IsCompressed(SafeFileHandle file)
    {
        Span<byte> magic = stackalloc byte[2];
        return ReadAt(file, magic, 0) == 2 && JournalReader.IsGzipMagic(magic);
    }

    // Fills as much of buffer as the file holds from offset: a file shortened meanwhile just gives a different hash.
    private static int ReadAt(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = RandomAccess.Read(file, buffer[total..], offset + total)) > 0)
        {
            total += read;
        }

        return total;
    }
}
