namespace LogTools.Engine.Store;

/// <summary>A table of the store's index and its row count.</summary>
public sealed record StoreTableInfo(string Name, long Rows)
{
    /// <summary>"name=rows": how a list of tables reads in Format-List and string conversions.</summary>
    public override string ToString() => $"{Name}={Rows}";
}
