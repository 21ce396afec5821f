namespace LogTools.Engine.Store;

/// <summary>A table of the store's index and its row count.</summary>
public sealed record StoreTableInfo(string Name, long Rows);
