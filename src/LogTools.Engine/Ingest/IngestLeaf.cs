using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LogTools.Engine.Store;

namespace LogTools.Engine.Ingest;

/// <summary>
/// The canonical leaf bytes of an ingest record (docs/ingest.md): a version tag, then the record's fields in a fixed
/// order, each as a 4-byte big-endian length and its UTF-8 text (numbers in decimal, the time as stored), a missing
/// value as length 0xFFFFFFFF. Length prefixes keep two different records from ever sharing bytes, and every field a
/// user sees is covered, so a changed status or size changes the leaf, not only a changed content hash.
/// </summary>
public static class IngestLeaf
{
    /// <summary>The first field of every leaf: names this encoding, so a future one cannot be mistaken for it.</summary>
    public const string Version = "logtools.ingest.v1";

    private const uint Missing = uint.MaxValue;

    /// <summary>The leaf bytes of <paramref name="record"/>.</summary>
    public static byte[] Bytes(IngestRecord record)
    {
        string?[] fields =
        [
            Version, record.RunId, record.Phase, StoreTime.ToText(record.Timestamp), record.RelPath,
            record.Status.ToString().ToLowerInvariant(), Number(record.SizeRaw), Number(record.SizeStored), record.ContentHash,
            Number(record.FileId), Number(record.ContentVersionId), record.ErrorType, record.ErrorMessage,
        ];
        var length = 0;
        foreach (var field in fields)
        {
            length += 4 + (field is null ? 0 : Encoding.UTF8.GetByteCount(field));
        }

        var bytes = new byte[length];
        var at = 0;
        foreach (var field in fields)
        {
            if (field is null)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), Missing);
                at += 4;
                continue;
            }

            var written = Encoding.UTF8.GetBytes(field, bytes.AsSpan(at + 4));
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), (uint)written);
            at += 4 + written;
        }

        return bytes;
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
