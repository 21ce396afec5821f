namespace LogTools.Engine.Store;

/// <summary>
/// The number of migrations a store records as applied, and each area's version. A class, not a value tuple: it is
/// read on every open, and the framework's code over a value type is compiled at run time in each new process.
/// </summary>
internal sealed record StoreVersions(int Total, Dictionary<string, int> Areas);
