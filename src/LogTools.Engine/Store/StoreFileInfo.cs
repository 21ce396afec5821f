namespace LogTools.Engine.Store;

/// <summary>A top-level entry of the store folder and its size in bytes (folders: everything below).</summary>
public sealed record StoreFileInfo(string Name, long Length, bool IsFolder)
{
    /// <summary>"name=bytes" (a folder's name ends with /): how a list of entries reads in Format-List and string conversions.</summary>
    public override string ToString() => $"{Name}{(IsFolder ? "/" : string.Empty)}={Length}";
}
