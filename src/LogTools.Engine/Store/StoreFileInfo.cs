namespace LogTools.Engine.Store;

/// <summary>A top-level entry of the store folder and its size in bytes (folders: everything below).</summary>
public sealed record StoreFileInfo(string Name, long Length, bool IsFolder);
