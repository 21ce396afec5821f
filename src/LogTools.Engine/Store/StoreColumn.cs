namespace LogTools.Engine.Store;

/// <summary>One column of a store table as its backend declares it, for copying rows between backends (Copy-LogStore).</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Key">Its position in the primary key, from 1; 0 when it is not part of it.</param>
/// <param name="Kind">The values it holds; null for a column of any type (SQLite's ANY).</param>
/// <param name="Identity">Whether the backend numbers new rows from a sequence of its own (PostgreSQL's identity columns).</param>
internal sealed record StoreColumn(string Name, int Key, StoreValueKind? Kind, bool Identity);
