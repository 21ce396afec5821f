namespace LogTools.Engine.Store;

/// <summary>One table copied by Copy-LogStore, with what both sides agreed on.</summary>
/// <param name="Table">The table.</param>
/// <param name="Area">The area that owns it.</param>
/// <param name="Rows">Its rows, counted on both sides.</param>
/// <param name="Digest">BLAKE3 of its rows in key order, in a rendering that is the same on every backend (hex).</param>
public sealed record StoreCopyTable(string Table, string Area, long Rows, string Digest);
