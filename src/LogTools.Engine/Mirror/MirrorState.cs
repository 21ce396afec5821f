using System.Data.Common;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Mirror;

/// <summary>The Mirror area's SQL: sources, per-file state and pending renames. Only this class touches those tables.</summary>
internal static class MirrorState
{
    private const string FileColumns =
        "source, name, kind, status, host_path, length, blake3, hash_state, first_chunk, last_chunk, host_length, host_mtime_ticks, host_blake3, unaccounted_bytes, message, mirrored_at, updated_at";

    /// <summary>The pond path a source was first synced with, or null for a source never synced.</summary>
    public static string? PondPathOf(DbConnection connection, string source) =>
        Scalar(connection, null, "SELECT pond_path FROM mirror_sources WHERE source = $s", ("$s", source)) as string;

    /// <summary>Which source already owns a pond path, if any.</summary>
    public static string? SourceOfPond(DbConnection connection, string pondPath) =>
        Scalar(connection, null, "SELECT source FROM mirror_sources WHERE pond_path = $p", ("$p", pondPath)) as string;

    /// <summary>Every recorded file of the sources whose name matches (all when null), by source and name.</summary>
    public static List<MirrorFileInfo> Files(DbConnection connection, string? source, Func<string, string> pondFolder)
    {
        using var command = Command(connection, null, $"SELECT {FileColumns}, (SELECT pond_path FROM mirror_sources s WHERE s.source = f.source) FROM mirror_files f" +
            (source is null ? string.Empty : " WHERE source = $s") + " ORDER BY source, kind = 'active', name", [("$s", source)]);
        using var reader = command.ExecuteReader();
        var files = new List<MirrorFileInfo>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            long? Number(int i) => reader.IsDBNull(i) ? null : reader.GetInt64(i);
            var file = new MirrorFileInfo
            {
                Source = reader.GetString(0),
                Name = reader.GetString(1),
                Kind = Enum.Parse<MirrorFileKind>(reader.GetString(2), ignoreCase: true),
                Status = ParseStatus(reader.GetString(3)),
                HostPath = Text(4),
                Length = reader.GetInt64(5),
                Blake3 = reader.GetString(6),
                HashState = reader.IsDBNull(7) ? null : (byte[])reader.GetValue(7),
                FirstChunk = Text(8),
                LastChunk = Text(9),
                HostLength = Number(10),
                HostMtimeTicks = Number(11),
                HostBlake3 = Text(12),
                UnaccountedBytes = reader.GetInt64(13),
                Message = Text(14),
                MirroredAt = StoreTime.Parse(reader.GetString(15)),
                UpdatedAt = StoreTime.Parse(reader.GetString(16)),
            };
            file.PondPath = Path.Combine(pondFolder(reader.GetString(17)), file.Name);
            files.Add(file);
        }

        return files;
    }

    /// <summary>The pending rename of a source, if a crash left one.</summary>
    public static MirrorIntent? Intent(DbConnection connection, string source)
    {
        using var command = Command(connection, null, "SELECT operation, from_name, to_name, length FROM mirror_intents WHERE source = $s", [("$s", source)]);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new MirrorIntent(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)) : null;
    }

    /// <summary>Records the source (first sync) or refreshes its patterns.</summary>
    public static void PutSource(DbConnection connection, DbTransaction transaction, MirrorSourceConfig config, DateTimeOffset now) =>
        Execute(connection, transaction, """
            INSERT INTO mirror_sources (source, pond_path, archived_pattern, active_pattern, config_path, created_at, synced_at)
            VALUES ($s, $p, $ar, $ac, $c, $t, $t)
            ON CONFLICT (source) DO UPDATE SET archived_pattern = $ar, active_pattern = $ac, config_path = $c, synced_at = $t
            """,
            ("$s", config.Name), ("$p", config.PondPath), ("$ar", config.ArchivedPattern.Text), ("$ac", config.ActivePattern.Text),
            ("$c", config.ConfigPath), ("$t", StoreTime.ToText(now)));

    public static void PutFile(DbConnection connection, DbTransaction transaction, MirrorFileInfo file) =>
        Execute(connection, transaction, $"""
            INSERT INTO mirror_files ({FileColumns})
            VALUES ($source, $name, $kind, $status, $host_path, $length, $blake3, $hash_state, $first_chunk, $last_chunk, $host_length, $host_mtime, $host_blake3, $unaccounted, $message, $mirrored_at, $updated_at)
            {ReplaceOnConflict("source, name", FileColumns)}
            """,
            ("$source", file.Source), ("$name", file.Name), ("$kind", file.Kind.ToString().ToLowerInvariant()), ("$status", StatusText(file.Status)),
            ("$host_path", file.HostPath), ("$length", file.Length), ("$blake3", file.Blake3), ("$hash_state", file.HashState),
            ("$first_chunk", file.FirstChunk), ("$last_chunk", file.LastChunk), ("$host_length", file.HostLength), ("$host_mtime", file.HostMtimeTicks),
            ("$host_blake3", file.HostBlake3), ("$unaccounted", file.UnaccountedBytes), ("$message", file.Message),
            ("$mirrored_at", StoreTime.ToText(file.MirroredAt)), ("$updated_at", StoreTime.ToText(file.UpdatedAt)));

    public static void DeleteFile(DbConnection connection, DbTransaction transaction, string source, string name) =>
        Execute(connection, transaction, "DELETE FROM mirror_files WHERE source = $s AND name = $n", ("$s", source), ("$n", name));

    public static void PutIntent(DbConnection connection, DbTransaction transaction, string source, MirrorIntent intent) =>
        Execute(connection, transaction, """
            INSERT INTO mirror_intents (source, operation, from_name, to_name, length, created_at) VALUES ($s, $o, $f, $t, $l, $c)
            """,
            ("$s", source), ("$o", intent.Operation), ("$f", intent.FromName), ("$t", intent.ToName), ("$l", intent.Length), ("$c", StoreTime.ToText(DateTimeOffset.UtcNow)));

    public static void DeleteIntent(DbConnection connection, DbTransaction transaction, string source) =>
        Execute(connection, transaction, "DELETE FROM mirror_intents WHERE source = $s", ("$s", source));

    public static string StatusText(MirrorFileStatus status) => status switch
    {
        MirrorFileStatus.Ok => "ok",
        MirrorFileStatus.ChangedOnHost => "changed-on-host",
        MirrorFileStatus.GoneFromHost => "gone-from-host",
        MirrorFileStatus.Rotated => "rotated",
        _ => "preserved-truncation",
    };

    private static MirrorFileStatus ParseStatus(string text) =>
        Enum.GetValues<MirrorFileStatus>().First(s => StatusText(s) == text);
}
