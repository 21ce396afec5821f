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

    /// <summary>
    /// For Test-LogStore: like <see cref="Read"/>, for a store whose database may be too damaged to open. An SQLite store
    /// need only have its file: the check reads it, and refuses it as Read does only once SQLite has found it sound. A server
    /// store, which has no integrity check of its own, is opened as with Read.
    /// </summary>
    Check,
}
