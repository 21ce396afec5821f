namespace LogTools.Engine.Hashing;

/// <summary>What a <see cref="DirectoryChecksumEntry"/> stands for; its value is part of the summed bytes.</summary>
public enum DirectoryChecksumEntryKind : byte
{
    /// <summary>A regular file, summed by its content.</summary>
    File = (byte)'f',

    /// <summary>A symbolic link, summed by its target text (not followed).</summary>
    SymbolicLink = (byte)'l',
}
