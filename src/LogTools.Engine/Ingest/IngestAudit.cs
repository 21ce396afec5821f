using LogTools.Engine.Hashing;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Engine.Ingest;

/// <summary>
/// Blocks and Merkle audit over a run's ingest records: partitions each phase's records in log_id order into blocks
/// with their totals and RFC 9162 roots (BLAKE3), a root per phase over the block roots, recomputes both to find
/// changed, deleted or inserted rows, and gives inclusion proofs that verify without the store.
/// </summary>
public sealed class IngestAudit(LogStore store)
{
    public const int DefaultBlockSize = 500;

    /// <summary>Records read between two looks at the stop token: a millisecond of work or so.</summary>
    private const int CheckEvery = 1000;

    private readonly IngestLedger ledger = new(store);

    /// <summary>The completion hook (registered by EngineAreas): a run with ingest records gets its blocks when it completes.</summary>
    internal static void OnRunCompleted(LogStore store, string runId)
    {
        var audit = new IngestAudit(store);
        if (audit.ledger.Phases(runId).Count > 0)
        {
            audit.Build(runId, null, force: true);
        }
    }

    /// <summary>
    /// Builds the blocks of every phase of the run. A phase whose stored blocks equal the rebuilt ones is left as it is
    /// (so building twice changes nothing); one whose blocks differ (other block size, changed records) is rebuilt only
    /// with <paramref name="force"/>, as is any phase of a run still in progress.
    /// </summary>
    /// <param name="blockSize">Records a block; null keeps each phase's stored size (or <see cref="DefaultBlockSize"/>).</param>
    /// <param name="cancellationToken">Checked while a phase's records are read: a stop leaves that phase's blocks as they were, and the phases before it built.</param>
    public IReadOnlyList<IngestPhase> Build(string runId, int? blockSize, bool force, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (blockSize < 1)
        {
            throw new LogToolsException(
                "IngestBlockSizeInvalid", ErrorKind.InvalidArgument, blockSize,
                $"A block holds at least one record; {blockSize} is not a block size. Nothing was changed.");
        }

        var run = new RunLedger(store).Get(runId);
        if (!run.IsCompleted && !force)
        {
            throw new LogToolsException(
                "IngestRunInProgress", ErrorKind.InvalidOperation, runId,
                $"The run '{runId}' is {run.Status}: its records may still grow, and blocks are built once it completes (Complete-LogRun builds them). " +
                "Use -Force to build them now anyway. Nothing was changed.");
        }

        var built = new List<IngestPhase>();
        foreach (var phase in ledger.Phases(runId))
        {
            progress?.Invoke(phase);
            var stored = ledger.Phase(runId, phase);
            var size = blockSize ?? stored.BlockSize ?? DefaultBlockSize;
            var blocks = Partition(runId, phase, size, cancellationToken);
            var root = IngestBlockSum.PhaseRoot(blocks.Select(b => b.MerkleHash));
            if (stored.MerkleRoot == root && stored.BlockSize == size && stored.BlockCount == blocks.Count)
            {
                built.Add(stored);
                continue;
            }

            if (stored.MerkleRoot is not null && !force)
            {
                throw new LogToolsException(
                    "IngestBlocksDiffer", ErrorKind.InvalidOperation, phase,
                    $"The blocks of phase '{phase}' of run '{runId}' were built ({stored.BlockCount} blocks of {stored.BlockSize}) and differ from " +
                    $"what its records give now (block size {size}). Test-IngestBlock shows why; -Force replaces them. Nothing was changed.");
            }

            ledger.ReplaceBlocks(runId, phase, size, blocks, root, blocks.Sum(b => b.FilesCount));
            built.Add(ledger.Phase(runId, phase));
        }

        return built;
    }

    /// <summary>
    /// Recomputes every stored block and phase root of the run (or of every run with ingest records) from ingest_log:
    /// one finding a block (Ok or Mismatch with the fields), one a phase root, one for records in no block, and with
    /// <paramref name="contentRoot"/> one per file whose content no longer matches its content_hash.
    /// </summary>
    /// <param name="cancellationToken">Checked while a phase's records are read and before each content file is hashed.</param>
    public void Verify(string? runId, string? phase, string? contentRoot, Action<string>? progress, Action<IngestCheck> sink, CancellationToken cancellationToken = default)
    {
        if (runId is not null)
        {
            new RunLedger(store).Get(runId);
        }

        foreach (var run in runId is null ? ledger.Runs() : [runId])
        {
            foreach (var name in ledger.Phases(run).Where(p => phase is null || p == phase))
            {
                progress?.Invoke($"{run} {name}");
                VerifyPhase(run, name, contentRoot, sink, cancellationToken);
            }
        }
    }

    /// <summary>Inclusion proofs of the run's records of <paramref name="relPath"/> (one a phase it was logged in).</summary>
    public IEnumerable<IngestProof> Proofs(string runId, string relPath, string? phase)
    {
        var records = ledger.RecordsOf(runId, relPath, phase);
        if (records.Count == 0)
        {
            throw new LogToolsException(
                "IngestRecordNotFound", ErrorKind.ObjectNotFound, relPath,
                $"The run '{runId}' has no ingest record of '{relPath}'{(phase is null ? string.Empty : $" in phase '{phase}'")}. Get-IngestLog lists what it has.");
        }

        foreach (var record in records)
        {
            yield return Proof(record);
        }
    }

    private IngestProof Proof(IngestRecord record)
    {
        var root = ledger.Phase(record.RunId, record.Phase).MerkleRoot ?? throw new LogToolsException(
            "IngestBlocksNotBuilt", ErrorKind.InvalidOperation, record.RunId,
            $"The blocks of phase '{record.Phase}' of run '{record.RunId}' are not built, so there is no root to prove against. Run Build-IngestBlock (or complete the run).");
        var blocks = StoredBlocks(record.RunId, record.Phase);
        var block = blocks.FirstOrDefault(b => b.LogIdStart <= record.LogId && record.LogId <= b.LogIdEnd) ?? throw new LogToolsException(
            "IngestRecordNotInBlock", ErrorKind.InvalidOperation, record.RelPath,
            $"The record {record.LogId} of '{record.RelPath}' lies in no block of phase '{record.Phase}': it was logged after the blocks were built. " +
            "Run Build-IngestBlock -Force to include it.");
        var leaves = new List<byte[]>();
        var index = -1;
        ledger.Records(record.RunId, record.Phase, block.LogIdStart, block.LogIdEnd, r =>
        {
            index = r.LogId == record.LogId ? leaves.Count : index;
            leaves.Add(IngestBlockSum.LeafHash(r));
        });
        var blockLeaves = blocks.Select(b => IngestBlockSum.BlockLeafHash(b.MerkleHash)).ToList();
        return new IngestProof
        {
            RunId = record.RunId,
            Phase = record.Phase,
            LogId = record.LogId,
            Timestamp = record.Timestamp,
            RelPath = record.RelPath,
            Status = record.Status.ToString().ToLowerInvariant(),
            SizeRaw = record.SizeRaw,
            SizeStored = record.SizeStored,
            ContentHash = record.ContentHash,
            FileId = record.FileId,
            ContentVersionId = record.ContentVersionId,
            ErrorType = record.ErrorType,
            ErrorMessage = record.ErrorMessage,
            LeafHash = IngestBlockSum.Hex(leaves[index]),
            LeafIndex = index,
            BlockFiles = leaves.Count,
            AuditPath = [.. MerkleTree.InclusionProof(leaves, index, MerkleHash.Blake3).Select(IngestBlockSum.Hex)],
            BlockRoot = block.MerkleHash,
            BlockNumber = block.BlockNumber,
            BlockCount = blocks.Count,
            BlockPath = [.. MerkleTree.InclusionProof(blockLeaves, blocks.IndexOf(block), MerkleHash.Blake3).Select(IngestBlockSum.Hex)],
            RunRoot = root,
        };
    }

    private List<IngestBlock> Partition(string runId, string phase, int size, CancellationToken cancellationToken)
    {
        var sums = new List<IngestBlockSum>();
        var sum = new IngestBlockSum();
        var rows = 0L;
        ledger.Rows(runId, phase, r =>
        {
            if (++rows % CheckEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            sum.Add(r);
            if (sum.Count == size)
            {
                sums.Add(sum);
                IngestBlockSum.Seal(sums, sums.Count - 1);
                sum = new IngestBlockSum();
            }
        });
        if (sum.Count > 0)
        {
            sums.Add(sum);
        }

        return [.. sums.Select((s, i) => s.ToBlock(runId, phase, i))];
    }

    private List<IngestBlock> StoredBlocks(string runId, string phase)
    {
        var blocks = new List<IngestBlock>();
        ledger.Blocks(runId, phase, null, blocks.Add);
        return blocks;
    }

    private void VerifyPhase(string runId, string phase, string? contentRoot, Action<IngestCheck> sink, CancellationToken cancellationToken)
    {
        var stored = ledger.Phase(runId, phase);
        if (stored.MerkleRoot is null)
        {
            if (stored.Files > 0)
            {
                sink(new IngestCheck
                {
                    RunId = runId, Phase = phase, Status = IngestCheckStatus.Unblocked,
                    Message = $"{stored.Files} record(s), and no blocks built yet: run Build-IngestBlock (or complete the run).",
                });
            }

            return;
        }

        var blocks = StoredBlocks(runId, phase);
        var sums = blocks.Select(_ => new IngestBlockSum()).ToList();
        var outside = 0L;
        var at = 0;
        var rows = 0L;
        ledger.Rows(runId, phase, r =>
        {
            // A content check hashes a file per record: then every record is a sensible grain.
            if (++rows % (contentRoot is null ? CheckEvery : 1) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            while (at < blocks.Count && r.LogId > blocks[at].LogIdEnd)
            {
                IngestBlockSum.Seal(sums, at++);
            }

            if (at < blocks.Count && r.LogId >= blocks[at].LogIdStart)
            {
                sums[at].Add(r);
            }
            else
            {
                outside++;
            }

            if (contentRoot is not null && CheckContent(runId, phase, r, contentRoot) is { } finding)
            {
                sink(finding);
            }
        });

        for (var i = 0; i < blocks.Count; i++)
        {
            var fields = Differences(blocks[i], sums[i].ToBlock(runId, phase, blocks[i].BlockNumber));
            sink(new IngestCheck
            {
                RunId = runId, Phase = phase, BlockNumber = blocks[i].BlockNumber,
                Status = fields.Count == 0 ? IngestCheckStatus.Ok : IngestCheckStatus.Mismatch, Fields = fields,
                Message = fields.Count == 0
                    ? $"{blocks[i].FilesCount} record(s) as built."
                    : $"Recomputed from ingest_log, {string.Join(", ", fields)} differ(s) from the stored block: rows were changed, deleted or inserted.",
            });
        }

        if (outside > 0)
        {
            sink(new IngestCheck
            {
                RunId = runId, Phase = phase, Status = IngestCheckStatus.Unblocked,
                Message = $"{outside} record(s) lie in no block: logged after the blocks were built, or inserted behind the store's back.",
            });
        }

        var rootFields = new List<string>();
        if (stored.BlockCount != blocks.Count || blocks.Where((b, i) => b.BlockNumber != i).Any())
        {
            rootFields.Add("block_count");
        }

        if (IngestBlockSum.PhaseRoot(blocks.Select(b => b.MerkleHash)) != stored.MerkleRoot)
        {
            rootFields.Add("merkle_root");
        }

        sink(new IngestCheck
        {
            RunId = runId, Phase = phase, Status = rootFields.Count == 0 ? IngestCheckStatus.Ok : IngestCheckStatus.Mismatch, Fields = rootFields,
            Message = rootFields.Count == 0
                ? $"The phase root covers its {blocks.Count} block(s)."
                : $"The phase root does not match its stored blocks ({string.Join(", ", rootFields)}): blocks were changed, deleted or inserted.",
        });
    }

    private static List<string> Differences(IngestBlock stored, IngestBlock now)
    {
        var fields = new List<string>();
        void Compare<T>(string name, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                fields.Add(name);
            }
        }

        Compare("files_count", stored.FilesCount, now.FilesCount);
        Compare("files_processed", stored.FilesProcessed, now.FilesProcessed);
        Compare("files_error", stored.FilesError, now.FilesError);
        Compare("bytes_raw", stored.BytesRaw, now.BytesRaw);
        Compare("bytes_stored", stored.BytesStored, now.BytesStored);
        Compare("started_at", stored.StartedAt, now.StartedAt);
        Compare("ended_at", stored.EndedAt, now.EndedAt);
        Compare("log_id_start", stored.LogIdStart, now.LogIdStart);
        Compare("log_id_end", stored.LogIdEnd, now.LogIdEnd);
        Compare("merkle_hash", stored.MerkleHash, now.MerkleHash);
        return fields;
    }

    private static IngestCheck? CheckContent(string runId, string phase, IngestLeafRow record, string root)
    {
        if (record.ContentHash is null)
        {
            return null;
        }

        var path = Path.Combine(root, record.RelPath);
        IngestCheck Finding(IngestCheckStatus status, string message) => new()
        {
            RunId = runId, Phase = phase, RelPath = record.RelPath, Status = status, Fields = ["content_hash"], Message = message,
        };

        if (!File.Exists(path))
        {
            return Finding(IngestCheckStatus.ContentMissing, $"'{path}' is gone; it was logged with BLAKE3 {record.ContentHash}.");
        }

        var now = Blake3File.Hash(path).ToString();
        return now == record.ContentHash ? null : Finding(IngestCheckStatus.ContentChanged, $"'{path}' now hashes to {now}, not the logged {record.ContentHash}.");
    }
}
