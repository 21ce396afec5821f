using LogTools.Engine.Hashing;

namespace LogTools.Engine.Ingest;

/// <summary>
/// A block's totals and Merkle root as its records stream in, in log_id order: the one computation behind building
/// blocks and checking them, so the two can never disagree on what a block is.
/// </summary>
internal sealed class IngestBlockSum
{
    private readonly MerkleTreeBuilder tree = new(MerkleHash.Blake3);
    private long files, processed, errors, bytesRaw, bytesStored, first, last;
    private DateTimeOffset started = DateTimeOffset.MaxValue, ended = DateTimeOffset.MinValue;

    public long Count => files;

    /// <summary>The record's leaf hash, H(0x00 ‖ <see cref="IngestLeaf.Bytes"/>).</summary>
    public static byte[] LeafHash(IngestRecord record) => new IngestLeafRow(record.RunId, record.Phase).Set(record).LeafHash();

    /// <summary>The root over a phase's block roots (each block root's 32 bytes are a leaf's bytes), lowercase hex.</summary>
    public static string PhaseRoot(IEnumerable<string> blockRoots) => Hex(MerkleTree.Root(blockRoots.Select(BlockLeafHash), MerkleHash.Blake3));

    /// <summary>A block root as a leaf of its phase's tree: H(0x00 ‖ root).</summary>
    public static byte[] BlockLeafHash(string blockRoot) => MerkleTree.LeafHash(Convert.FromHexString(blockRoot), MerkleHash.Blake3);

    /// <summary>Lowercase hex, as roots are stored and shown.</summary>
    public static string Hex(byte[] hash) => HexDigest.Of(hash);

    public void Add(IngestLeafRow record)
    {
        tree.Append(record.LeafHash());
        first = files == 0 ? record.LogId : first;
        last = record.LogId;
        files++;
        processed += record.Status == IngestStatus.Processed ? 1 : 0;
        errors += record.Status == IngestStatus.Error ? 1 : 0;
        bytesRaw += record.SizeRaw ?? 0;
        bytesStored += record.SizeStored ?? 0;
        started = record.Timestamp < started ? record.Timestamp : started;
        ended = record.Timestamp > ended ? record.Timestamp : ended;
    }

    public IngestBlock ToBlock(string runId, string phase, int number) => new()
    {
        RunId = runId,
        Phase = phase,
        BlockNumber = number,
        StartedAt = files == 0 ? default : started,
        EndedAt = files == 0 ? default : ended,
        Duration = files == 0 ? TimeSpan.Zero : ended - started,
        FilesCount = files,
        FilesProcessed = processed,
        FilesError = errors,
        BytesRaw = bytesRaw,
        BytesStored = bytesStored,
        MerkleHash = Hex(tree.Root()),
        LogIdStart = first,
        LogIdEnd = last,
    };
}
