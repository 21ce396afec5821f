namespace LogTools.Engine.Store;

/// <summary>A table of the store's index, the area that owns it (null for a table no area of this LogTools created) and its row count.</summary>
public sealed record StoreTableInfo(string Name, string? Area, long Rows)
{
    /// <summary>"name=rows": how a list of tables reads in Format-List and string conversions.</summary>
    public override string ToString() => $"{Name}={Rows}";
}
