using System.Text.Json;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;

namespace LogTools.Engine.Ingest;

/// <summary>Verifies ingest proofs offline: from the proof alone (and, when given, a run root trusted from elsewhere).</summary>
public static class IngestProofs
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    /// <summary>A proof from its JSON (ConvertTo-Json of Get-IngestProof's object); malformed JSON is IngestProofInvalid.</summary>
    public static IngestProof FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<IngestProof>(json, Options) ?? throw new JsonException("The JSON is null.");
        }
        catch (JsonException ex)
        {
            throw new LogToolsException(
                "IngestProofInvalid", ErrorKind.InvalidData, source,
                $"'{source}' is not an ingest proof ({ex.Message}). Give Test-IngestProof what Get-IngestProof wrote (an object, or its ConvertTo-Json).", ex);
        }
    }

    /// <summary>Recomputes the leaf from the record's fields and follows both audit paths to the run root.</summary>
    /// <param name="expectedRoot">A run root obtained elsewhere (a signed report, another store), or null to trust the proof's own.</param>
    public static IngestProofCheck Verify(IngestProof proof, string? expectedRoot)
    {
        IngestProofCheck Verdict(bool valid, string reason) => new()
        {
            RunId = proof.RunId, Phase = proof.Phase, RelPath = proof.RelPath, Status = proof.Status, ContentHash = proof.ContentHash,
            Valid = valid, Reason = reason, RunRoot = proof.RunRoot,
        };

        if (proof.Hash != MerkleHash.Blake3.Name)
        {
            return Verdict(false, $"The proof names the hash '{proof.Hash}'; ingest proofs use BLAKE3.");
        }

        byte[] leaf, blockRoot, runRoot;
        byte[][] audit, blockPath;
        IngestRecord record;
        try
        {
            record = new IngestRecord
            {
                RunId = proof.RunId, Phase = proof.Phase, Timestamp = proof.Timestamp, RelPath = proof.RelPath,
                Status = Enum.Parse<IngestStatus>(proof.Status, ignoreCase: true), SizeRaw = proof.SizeRaw, SizeStored = proof.SizeStored,
                ContentHash = proof.ContentHash, FileId = proof.FileId, ContentVersionId = proof.ContentVersionId,
                ErrorType = proof.ErrorType, ErrorMessage = proof.ErrorMessage,
            };
            leaf = Convert.FromHexString(proof.LeafHash);
            blockRoot = Convert.FromHexString(proof.BlockRoot);
            runRoot = Convert.FromHexString(proof.RunRoot);
            audit = [.. proof.AuditPath.Select(Convert.FromHexString)];
            blockPath = [.. proof.BlockPath.Select(Convert.FromHexString)];
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return Verdict(false, $"The proof is malformed: {ex.Message}");
        }

        if (!IngestBlockSum.LeafHash(record).AsSpan().SequenceEqual(leaf))
        {
            return Verdict(false, "The record's fields do not hash to the proof's leaf hash: a field of the record was changed.");
        }

        if (!MerkleTree.VerifyInclusion(leaf, proof.LeafIndex, proof.BlockFiles, audit, blockRoot, MerkleHash.Blake3))
        {
            return Verdict(false, $"The audit path does not lead from the leaf to the root of block {proof.BlockNumber}.");
        }

        if (!MerkleTree.VerifyInclusion(MerkleTree.LeafHash(blockRoot, MerkleHash.Blake3), proof.BlockNumber, proof.BlockCount, blockPath, runRoot, MerkleHash.Blake3))
        {
            return Verdict(false, $"The block path does not lead from block {proof.BlockNumber} to the run root.");
        }

        if (expectedRoot is not null && !string.Equals(expectedRoot, proof.RunRoot, StringComparison.OrdinalIgnoreCase))
        {
            return Verdict(false, $"The proof leads to the run root {proof.RunRoot}, not to the expected {expectedRoot}.");
        }

        return Verdict(true, $"Record {proof.LeafIndex} of block {proof.BlockNumber} ({proof.BlockFiles} records), block {proof.BlockNumber} of {proof.BlockCount} under the run root.");
    }
}
