namespace LogTools.Engine.Store;

/// <summary>The kinds of value the store's tables hold, named as SQLite declares them; each backend has one type for each.</summary>
internal enum StoreValueKind
{
    Integer,
    Real,
    Text,
    Blob,
}
