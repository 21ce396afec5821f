namespace LogTools.Engine.Store;

/// <summary>What a command may do to a store when it opens it.</summary>
public enum StoreAccess
{
    /// <summary>Create the store if missing and migrate it to the current schema (commands that write).</summary>
    Write,

    /// <summary>Read a store that exists and has the current schema; never create or migrate (readers, -WhatIf).</summary>
    Read,

    /// <summary>Like <see cref="Read"/>, but an older schema is accepted too (Get-LogStore, Backup-LogStore describe or copy it as it is).</summary>
    Inspect,
}
