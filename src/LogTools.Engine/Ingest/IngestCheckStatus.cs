namespace LogTools.Engine.Ingest;

/// <summary>The verdict of Test-IngestBlock on one block, one phase root, or one file.</summary>
public enum IngestCheckStatus
{
    /// <summary>Recomputed from ingest_log, the block (or root) equals what was stored.</summary>
    Ok,

    /// <summary>Some stored field differs from its recomputed value (see the check's Fields).</summary>
    Mismatch,

    /// <summary>Records of the phase that lie in no block: logged after the blocks were built, or inserted behind the store's back.</summary>
    Unblocked,

    /// <summary>The file's content no longer matches its content_hash (-Content).</summary>
    ContentChanged,

    /// <summary>The file is gone (-Content).</summary>
    ContentMissing,
}
