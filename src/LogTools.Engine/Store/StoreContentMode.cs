namespace LogTools.Engine.Store;

/// <summary>What Copy-LogStore does with a store's content files (conversations, run event logs, the pond, archives).</summary>
public enum StoreContentMode
{
    /// <summary>Copied into the destination's content root (which must hold none yet), each file verified by BLAKE3.</summary>
    Copy,

    /// <summary>Left where they are: the destination's content root must be the source's.</summary>
    InPlace,
}
