namespace LogTools.Engine.Store;

/// <summary>Takes one row of a <see cref="ForeignSnapshot"/> statement; returns false to stop reading.</summary>
internal delegate bool ForeignRowReader(ForeignRow row);
