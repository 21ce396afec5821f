namespace LogTools.Engine.Sessions;

/// <summary>What one <see cref="ApiCallStore.Add"/> did.</summary>
/// <param name="Added">Calls stored.</param>
/// <param name="Duplicates">Calls ignored because a call with the same <see cref="ApiCallKey"/> was already stored.</param>
public sealed record ApiCallAddResult(long Added, long Duplicates);
