namespace LogTools.Engine.Store;

/// <summary>A store folder and how it was chosen.</summary>
/// <param name="Path">Full path of the store folder.</param>
/// <param name="Source">Which rule chose it.</param>
/// <param name="Detail">A short human explanation, e.g. the candidate list that was walked.</param>
public sealed record StoreLocation(string Path, StoreSource Source, string Detail);
