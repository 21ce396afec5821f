namespace LogTools.Engine.Store;

/// <summary>
/// What Backup-LogStore or Copy-LogStore would copy, once its destination has passed the checks the copy makes: so
/// -WhatIf and -Confirm refuse what the copy would, and name what it would copy. Finding it writes nothing.
/// </summary>
public sealed class StoreCopyPlan
{
    /// <summary>The store's database: its file, or its server location.</summary>
    public required string Database { get; init; }

    /// <summary>The database file's size now; null on a server, where it would take a query.</summary>
    public long? DatabaseBytes { get; init; }

    /// <summary>Whether the content files are copied or left in place.</summary>
    public required StoreContentMode Content { get; init; }

    /// <summary>The store's content folders that would be copied ("pond/"): those it has; none when they stay in place.</summary>
    public required IReadOnlyList<string> ContentFolders { get; init; }

    /// <summary>Where the content files are: the store's folder or content root.</summary>
    public required string ContentRoot { get; init; }

    internal static StoreCopyPlan Of(LogStore store, StoreContentMode content)
    {
        var file = new FileInfo(store.Database.DatabasePath);
        return new()
        {
            Database = store.Database.DatabasePath,
            DatabaseBytes = file.Exists ? file.Length : null,
            Content = content,
            ContentFolders = content == StoreContentMode.Copy
                ? [.. StoreBackup.ContentFolders.Where(f => Directory.Exists(Path.Combine(store.Path, f))).Select(f => f + "/")]
                : [],
            ContentRoot = store.Path,
        };
    }
}
