using LogTools.Engine.Hashing;

namespace LogTools.Engine.Ingest;

/// <summary>
/// A block's totals and Merkle root as its records stream in, in log_id order: the one computation behind building
/// blocks and checking them, so the two can never disagree on what a block is. The leaves are kept and hashed once
/// the block is complete (<see cref="Seal"/>), on another thread, while the next block's rows are read.
/// </summary>
internal sealed class IngestBlockSum
{
    // Blocks being hashed while rows are read: enough to keep a second core busy, few enough to bound the memory.
    private const int Ahead = 4;

    private readonly List<int> leafEnds = [];
    private byte[] leaves = new byte[16 * 1024];
    private long files, processed, errors, bytesRaw, bytesStored, first, last;
    private DateTimeOffset started = DateTimeOffset.MaxValue, ended = DateTimeOffset.MinValue;
    private Task<byte[]>? root;

    public long Count => files;

    /// <summary>The record's leaf hash, H(0x00 ‖ <see cref="IngestLeaf.Bytes"/>).</summary>
    public static byte[] LeafHash(IngestRecord record) => new IngestLeafRow(record.RunId, record.Phase).Set(record).LeafHash();

    /// <summary>The root over a phase's block roots (each block root's 32 bytes are a leaf's bytes), lowercase hex.</summary>
    public static string PhaseRoot(IEnumerable<string> blockRoots) => Hex(MerkleTree.Root(blockRoots.Select(BlockLeafHash), MerkleHash.Blake3));

    /// <summary>A block root as a leaf of its phase's tree: H(0x00 ‖ root).</summary>
    public static byte[] BlockLeafHash(string blockRoot) => MerkleTree.LeafHash(Convert.FromHexString(blockRoot), MerkleHash.Blake3);

    /// <summary>Lowercase hex, as roots are stored and shown.</summary>
    public static string Hex(byte[] hash) => HexDigest.Of(hash);

    /// <summary>Seals <paramref name="sums"/>[<paramref name="index"/>], first waiting for the block <see cref="Ahead"/> before it.</summary>
    public static void Seal(IReadOnlyList<IngestBlockSum> sums, int index)
    {
        if (index >= Ahead)
        {
            sums[index - Ahead].root?.Wait();
        }

        sums[index].Seal();
    }

    public void Add(IngestLeafRow record)
    {
        var leaf = record.HashInput;
        var used = leafEnds.Count == 0 ? 0 : leafEnds[^1];
        if (used + leaf.Length > leaves.Length)
        {
            Array.Resize(ref leaves, Math.Max(leaves.Length * 2, used + leaf.Length));
        }

        leaf.CopyTo(leaves.AsSpan(used));
        leafEnds.Add(used + leaf.Length);
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

    /// <summary>Starts hashing the block's leaves on the thread pool; no record may be added after.</summary>
    public void Seal() => root ??= Task.Run(Root);

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
        MerkleHash = Hex(root?.GetAwaiter().GetResult() ?? Root()),
        LogIdStart = first,
        LogIdEnd = last,
    };

    private byte[] Root()
    {
        var tree = new MerkleTreeBuilder(MerkleHash.Blake3);
        var start = 0;
        foreach (var end in leafEnds)
        {
            var hash = new byte[MerkleHash.Size];
            MerkleHash.Blake3.Hash(leaves.AsSpan(start, end - start), hash);
            tree.Append(hash);
            start = end;
        }

        leaves = [];
        return tree.Root();
    }
}
