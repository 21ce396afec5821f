namespace LogTools.Engine.Hashing;

/// <summary>One file of a <see cref="DirectoryChecksum"/>: its path relative to the root ('/' separated), kind, length and BLAKE3 (lowercase hex).</summary>
public sealed record DirectoryChecksumEntry(string RelativePath, DirectoryChecksumEntryKind Kind, long Length, string Blake3);
