using System.Buffers.Binary;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LogTools.Engine.Store;

/// <summary>
/// Copy-LogStore: a whole store copied to a new or empty store, on the same backend or the other one (SQLite ↔
/// PostgreSQL). The tables are those the areas register, in registration order (parents first), read from one snapshot
/// of the source and written in one transaction of the destination, ids kept. Before that transaction commits, every
/// table is read back and must have the source's row count and digest (BLAKE3 over a rendering of its rows in key order
/// that is the same on both backends); a difference rolls the whole copy back. The content files are copied after the
/// snapshot (they are append-only or written whole, so the copy holds everything the rows point to), each verified, or
/// left where they are.
/// </summary>
public static class StoreCopy
{
    private static readonly ContentCopyFailure Failure = new("CopyVerificationFailed", "the copy was undone and the destination holds no records", "Copy-LogStore");

    /// <param name="source">The store to copy; only read.</param>
    /// <param name="destination">A store folder or server location holding no store yet, or an empty one.</param>
    /// <param name="content">Whether the content files are copied or left in place.</param>
    /// <param name="progress">Gets each table and file as it is copied.</param>
    /// <param name="password">For a destination on a server: the password given as a credential (otherwise PGPASSWORD or ~/.pgpass).</param>
    /// <param name="cancellationToken">Checked every 1,000 rows copied or read back and between content blocks: a stop
    /// undoes the copy as a failure does.</param>
    public static StoreCopyResult Copy(
        LogStore source, string destination, StoreContentMode content, Action<string>? progress = null, string? password = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var root = CheckDestination(source, destination, content, password);
        var target = LogStore.Open(destination, password: password);
        var tables = StoreSchema.Areas.SelectMany(a => a.Tables.Select(t => (Area: a.Name, Table: t))).ToList();
        var copied = target.Database.Write((connection, transaction) =>
        {
            foreach (var (_, table) in Enumerable.Reverse(tables))
            {
                // A new store holds only its own creation records, which the source's replace.
                Sql.Execute(connection, transaction, $"DELETE FROM {SqlDialect.Quote(table)}");
            }

            var details = source.Database.ReadSnapshot((from, snapshot) => tables.Select((t, i) =>
            {
                progress?.Invoke($"{t.Table} ({i + 1} of {tables.Count})");
                return CopyTable(t.Area, t.Table, from, snapshot, connection, transaction, cancellationToken);
            }).ToList());
            foreach (var table in details)
            {
                Verify(table, connection, transaction, cancellationToken);
            }

            var (files, bytes) = content == StoreContentMode.Copy ? CopyContent(source.Path, root, progress, cancellationToken) : (0, 0L);
            return (Details: details, Files: files, Bytes: bytes);
        });

        // A server store's tables are new to its planner: statistics and the visibility map, now rather than when
        // autovacuum comes by, so the first reports read them as later ones do (nothing on SQLite).
        target.Database.Tidy([.. tables.Select(t => t.Table)], CancellationToken.None);

        return new StoreCopyResult
        {
            Source = source.Database.DatabasePath,
            SourceBackend = source.Database.Backend,
            Destination = target.Database is SqliteStoreDatabase ? target.Path : target.Database.DatabasePath,
            DestinationBackend = target.Database.Backend,
            ContentRoot = target.Path,
            Tables = copied.Details.Count,
            Rows = copied.Details.Sum(t => t.Rows),
            Content = content,
            ContentFiles = copied.Files,
            ContentBytes = copied.Bytes,
            SchemaVersion = StoreSchema.Latest,
            Verified = true,
            Duration = clock.Elapsed,
            Details = copied.Details,
        };
    }

    /// <summary>
    /// Checks <paramref name="destination"/> as <see cref="Copy"/> does (DestinationIsSource, ContentRootDiffers, ContentRootIsSource,
    /// DestinationNotEmpty) and says what a copy would copy; writes nothing and creates no store.
    /// </summary>
    public static StoreCopyPlan Plan(LogStore source, string destination, StoreContentMode content, string? password = null)
    {
        CheckDestination(source, destination, content, password);
        return StoreCopyPlan.Of(source, content);
    }

    /// <summary>
    /// Refuses, before anything is written, a destination that is the source or holds records or content files; returns
    /// the destination's content root.
    /// </summary>
    private static string CheckDestination(LogStore source, string destination, StoreContentMode content, string? password)
    {
        var root = LogStore.ContentFolder(ServerLocation.IsServer(destination) ? destination : Path.GetFullPath(destination));
        var existing = LogStore.OpenIfExists(destination, password: password);
        var shown = existing?.Database.DatabasePath ?? root;
        if (existing is not null && existing.Database.DatabasePath == source.Database.DatabasePath)
        {
            throw new LogToolsException(
                "DestinationIsSource", ErrorKind.InvalidArgument, shown,
                $"'{shown}' is the store being copied. Give a new or empty store as -Destination.");
        }

        var sameRoot = string.Equals(Path.TrimEndingDirectorySeparator(root), Path.TrimEndingDirectorySeparator(source.Path), StringComparison.Ordinal);
        if (content == StoreContentMode.InPlace && !sameRoot)
        {
            throw new LogToolsException(
                "ContentRootDiffers", ErrorKind.InvalidArgument, root,
                $"-Content InPlace leaves the content files in '{source.Path}', but the destination's content root is '{root}'. " +
                $"Give a destination whose content root (its folder, or ?content= of a server location) is '{source.Path}', or copy them with -Content Copy. Nothing was changed.");
        }

        if (content == StoreContentMode.Copy && sameRoot)
        {
            throw new LogToolsException(
                "ContentRootIsSource", ErrorKind.InvalidArgument, root,
                $"The destination's content root '{root}' is the source's, so its content files cannot be copied there. " +
                "Use -Content InPlace to leave them where they are, or give the destination another content root. Nothing was changed.");
        }

        var holding = existing?.Database.Read(c => StoreSchema.Areas.Where(a => a != StoreMigrations.Area).SelectMany(a => a.Tables)
            .Where(t => Sql.Scalar(c, null, $"SELECT 1 FROM {SqlDialect.Quote(t)} LIMIT 1") is not null).ToList()) ?? [];
        if (content == StoreContentMode.Copy)
        {
            holding.AddRange(StoreBackup.ContentFolders.Where(f => Directory.Exists(Path.Combine(root, f)) && Directory.EnumerateFileSystemEntries(Path.Combine(root, f)).Any()).Select(f => f + "/"));
        }

        if (holding.Count > 0)
        {
            throw new LogToolsException(
                "DestinationNotEmpty", ErrorKind.InvalidArgument, shown,
                $"The destination '{shown}' is not empty (it holds {string.Join(", ", holding)}). Copy-LogStore copies into a new or empty store only, " +
                "and never merges; give another destination. Nothing was changed.");
        }

        return root;
    }

    /// <summary>Copies one table in key order, ids kept; digests the rows as it reads them.</summary>
    private static StoreCopyTable CopyTable(
        string area, string table, DbConnection from, DbTransaction snapshot, DbConnection to, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var columns = SqlDialect.Of(from).Columns(from, snapshot, table);
        var targetColumns = SqlDialect.Of(to).Columns(to, transaction, table);
        if (columns.Count == 0 || !columns.Select(c => c.Name).SequenceEqual(targetColumns.Select(c => c.Name)))
        {
            throw new LogToolsException(
                "CopySchemaDiffers", ErrorKind.InvalidData, table,
                $"The table '{table}' has the columns ({string.Join(", ", columns.Select(c => c.Name))}) in the source and ({string.Join(", ", targetColumns.Select(c => c.Name))}) " +
                "in the destination, though both have the same schema version. Run Test-LogStore on the source; the copy was undone and the destination holds no records.");
        }

        var names = string.Join(", ", columns.Select(c => SqlDialect.Quote(c.Name)));
        using var insert = Sql.Command(to, transaction, $"INSERT INTO {SqlDialect.Quote(table)} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})", []);
        var parameters = columns.Select((_, i) => Sql.Parameter(insert, "$p" + i)).ToArray();
        var digest = new RowDigest(cancellationToken);
        Sql.ForEach(from, snapshot, RowsInKeyOrder(from, table, columns), [], row =>
        {
            digest.Add(row);
            for (var i = 0; i < parameters.Length; i++)
            {
                try
                {
                    parameters[i].Value = row.IsDBNull(i) ? DBNull.Value : As(row.GetValue(i), targetColumns[i].Kind);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException)
                {
                    throw new LogToolsException(
                        "CopyValueInvalid", ErrorKind.InvalidData, table,
                        $"The column '{columns[i].Name}' of table '{table}' holds '{RowDigest.Render(row.GetValue(i))}', which is not a {targetColumns[i].Kind} value as the destination " +
                        "declares the column (SQLite stores what it is given). Correct or remove that row in the source; the copy was undone and the destination holds no records.", ex);
                }
            }

            insert.ExecuteNonQuery();
        }, cancellationToken: cancellationToken);
        SqlDialect.Of(to).AfterCopy(to, transaction, table, targetColumns);
        return new StoreCopyTable(table, area, digest.Rows, digest.Finish());
    }

    /// <summary>Reads a copied table back on the destination: its rows and digest must be the source's.</summary>
    private static void Verify(StoreCopyTable copied, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var digest = new RowDigest(cancellationToken);
        Sql.ForEach(
            connection, transaction, RowsInKeyOrder(connection, copied.Table, SqlDialect.Of(connection).Columns(connection, transaction, copied.Table)), [], digest.Add,
            cancellationToken: cancellationToken);
        var found = digest.Finish();
        if (digest.Rows != copied.Rows || found != copied.Digest)
        {
            throw new LogToolsException(
                "CopyVerificationFailed", ErrorKind.InvalidData, copied.Table,
                $"The table '{copied.Table}' reads back from the destination as {digest.Rows} rows with digest {found[..16]}…, " +
                $"where the source has {copied.Rows} rows with digest {copied.Digest[..16]}…. The copy was undone and the destination holds no records; " +
                "run Test-LogStore on both, then Copy-LogStore again.");
        }
    }

    private static string RowsInKeyOrder(DbConnection connection, string table, IReadOnlyList<StoreColumn> columns)
    {
        var key = columns.Where(c => c.Key > 0).OrderBy(c => c.Key).ToList();
        return $"SELECT {string.Join(", ", columns.Select(c => SqlDialect.Quote(c.Name)))} FROM {SqlDialect.Quote(table)} " +
               $"ORDER BY {string.Join(", ", (key.Count > 0 ? key : columns).Select(SqlDialect.Of(connection).OrderTerm))}";
    }

    /// <summary>A value as the destination column's kind wants it (a column of any type in SQLite is text on PostgreSQL).</summary>
    private static object As(object value, StoreValueKind? kind) => kind switch
    {
        StoreValueKind.Integer when value is not long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        StoreValueKind.Real when value is not double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        StoreValueKind.Text when value is not string => RowDigest.Render(value),
        _ => value,
    };

    /// <summary>Copies the content files, each verified; a failure removes what was copied, so the destination's content folders are empty again.</summary>
    private static (int Files, long Bytes) CopyContent(string sourceRoot, string root, Action<string>? progress, CancellationToken cancellationToken)
    {
        var copies = new List<StoreDatabase>();
        try
        {
            return StoreBackup.CopyContent(sourceRoot, root, copies, Failure, progress, cancellationToken);
        }
        catch
        {
            copies.ForEach(c => c.ReleaseConnections());
            foreach (var folder in StoreBackup.ContentFolders.Select(f => Path.Combine(root, f)).Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
                Directory.CreateDirectory(folder);
            }

            throw;
        }
    }

    /// <summary>
    /// The digest of a table's rows: each value rendered as invariant text (null apart), length-prefixed, so a value
    /// reads the same whichever backend returned it and no two rows run into each other. Every row of a copy passes
    /// through one, so it is where a stop is noticed.
    /// </summary>
    private sealed class RowDigest(CancellationToken cancellationToken)
    {
        /// <summary>Rows between two looks at the stop token: a few milliseconds of work, a negligible cost.</summary>
        public const int CheckEvery = 1000;

        private readonly IBackupHasher hasher = StoreBackup.Hasher();
        private readonly byte[] length = new byte[4];
        private byte[] buffer = new byte[256];

        public long Rows { get; private set; }

        public static string Render(object value) => value switch
        {
            string text => text,
            double real => real.ToString("R", CultureInfo.InvariantCulture),
            byte[] bytes => Convert.ToHexString(bytes),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        public void Add(DbDataReader row)
        {
            for (var i = 0; i < row.FieldCount; i++)
            {
                if (row.IsDBNull(i))
                {
                    BinaryPrimitives.WriteInt32LittleEndian(length, -1);
                    hasher.Append(length);
                    continue;
                }

                var text = Render(row.GetValue(i));
                var count = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (count > buffer.Length)
                {
                    buffer = new byte[count];
                }

                count = Encoding.UTF8.GetBytes(text, buffer);
                BinaryPrimitives.WriteInt32LittleEndian(length, count);
                hasher.Append(length);
                hasher.Append(buffer.AsSpan(0, count));
            }

            if (++Rows % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public string Finish() => hasher.Finish();
    }
}
