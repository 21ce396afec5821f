using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Text;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;

namespace LogTools.Engine.Ingest;

/// <summary>
/// One ingest_log row of a run's phase as blocks need it, reused from row to row, and its leaf bytes
/// (<see cref="IngestLeaf"/>) written into one reused buffer behind the 0x00 leaf prefix: building a million
/// leaves allocated a record, a dozen strings and two arrays each, and parsed and re-printed every timestamp.
/// </summary>
internal sealed class IngestLeafRow
{
    /// <summary>The columns <see cref="Read"/> expects, in this order.</summary>
    public const string Columns =
        "log_id, timestamp, file_id, content_version_id, relpath, status, size_raw, size_stored, content_hash, error_type, error_msg";

    private const uint Missing = uint.MaxValue;
    private static readonly byte[][] StatusText = [.. Enum.GetValues<IngestStatus>().Select(s => Encoding.UTF8.GetBytes(s.ToString().ToLowerInvariant()))];

    private readonly int head;
    private byte[] bytes = new byte[512];
    private int length;

    public IngestLeafRow(string runId, string phase)
    {
        // 0x00 (RFC 9162's leaf prefix), then the fields every row of the phase shares.
        length = 1;
        Text(IngestLeaf.Version);
        Text(runId);
        Text(phase);
        head = length;
    }

    public long LogId { get; private set; }

    public DateTimeOffset Timestamp { get; private set; }

    public string RelPath { get; private set; } = string.Empty;

    public IngestStatus Status { get; private set; }

    public long? SizeRaw { get; private set; }

    public long? SizeStored { get; private set; }

    public string? ContentHash { get; private set; }

    /// <summary>The leaf bytes of the row.</summary>
    public ReadOnlySpan<byte> Leaf => bytes.AsSpan(1, length - 1);

    /// <summary>What the leaf hash hashes: the 0x00 prefix and the leaf bytes.</summary>
    public ReadOnlySpan<byte> HashInput => bytes.AsSpan(0, length);

    /// <summary>The leaf hash, H(0x00 ‖ leaf bytes), hashed in place.</summary>
    public byte[] LeafHash()
    {
        var hash = new byte[MerkleHash.Size];
        MerkleHash.Blake3.Hash(HashInput, hash);
        return hash;
    }

    /// <summary>Takes the fields of <paramref name="record"/> (of this row's run and phase).</summary>
    public IngestLeafRow Set(IngestRecord record)
    {
        LogId = record.LogId;
        Fill(
            record.Timestamp, StoreTime.ToText(record.Timestamp), record.FileId, record.ContentVersionId, record.RelPath, record.Status,
            record.SizeRaw, record.SizeStored, record.ContentHash, record.ErrorType, record.ErrorMessage);
        return this;
    }

    /// <summary>Takes the reader's current row (<see cref="Columns"/>), by ordinal.</summary>
    public void Read(DbDataReader r)
    {
        LogId = r.GetInt64(0);
        // The stored text is the leaf's time: the store only writes StoreTime's form, which parses back to the same text.
        var time = r.GetString(1);
        Fill(
            StoreTime.Parse(time), time, Sql.Integer(r, 2), Sql.Integer(r, 3), r.GetString(4),
            // The table's CHECK allows these three only.
            r.GetString(5) switch { "processed" => IngestStatus.Processed, "skipped" => IngestStatus.Skipped, _ => IngestStatus.Error },
            Sql.Integer(r, 6), Sql.Integer(r, 7), Sql.Text(r, 8), Sql.Text(r, 9), Sql.Text(r, 10));
    }

    private void Fill(
        DateTimeOffset timestamp, string time, long? fileId, long? contentVersionId, string relPath, IngestStatus status,
        long? sizeRaw, long? sizeStored, string? contentHash, string? errorType, string? errorMessage)
    {
        (Timestamp, RelPath, Status, SizeRaw, SizeStored, ContentHash) = (timestamp, relPath, status, sizeRaw, sizeStored, contentHash);
        length = head;
        Text(time);
        Text(relPath);
        Field(StatusText[(int)status]);
        Number(sizeRaw);
        Number(sizeStored);
        Text(contentHash);
        Number(fileId);
        Number(contentVersionId);
        Text(errorType);
        Text(errorMessage);
    }

    private void Text(string? value)
    {
        if (value is null)
        {
            Absent();
            return;
        }

        Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        Prefixed(Encoding.UTF8.GetBytes(value, bytes.AsSpan(length + 4)));
    }

    private void Number(long? value)
    {
        if (value is not { } n)
        {
            Absent();
            return;
        }

        Room(4 + 20);
        n.TryFormat(bytes.AsSpan(length + 4), out var written, default, CultureInfo.InvariantCulture);
        Prefixed(written);
    }

    private void Field(byte[] value)
    {
        Room(4 + value.Length);
        value.CopyTo(bytes.AsSpan(length + 4));
        Prefixed(value.Length);
    }

    private void Absent()
    {
        Room(4);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(length), Missing);
        length += 4;
    }

    private void Prefixed(int written)
    {
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(length), (uint)written);
        length += 4 + written;
    }

    private void Room(int more)
    {
        if (length + more > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + more));
        }
    }
}
