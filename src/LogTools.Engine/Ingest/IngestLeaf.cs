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

    /// <summary>The leaf bytes of <paramref name="record"/>.</summary>
    public static byte[] Bytes(IngestRecord record) => new IngestLeafRow(record.RunId, record.Phase).Set(record).Leaf.ToArray();
}
