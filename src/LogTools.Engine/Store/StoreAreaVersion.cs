namespace LogTools.Engine.Store;

/// <summary>One area's schema version in a store, beside the newest this LogTools knows.</summary>
public sealed record StoreAreaVersion(string Area, int Version, int LatestVersion)
{
    /// <summary>"Area=version": how the list reads in Get-LogStore and in string conversions.</summary>
    public override string ToString() => $"{Area}={Version}";
}
