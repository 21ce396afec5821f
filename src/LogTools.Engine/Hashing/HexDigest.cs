namespace LogTools.Engine.Hashing;

/// <summary>How every digest LogTools shows or stores is written: lower-case hex, as b3sum prints it.</summary>
public static class HexDigest
{
    public static string Of(ReadOnlySpan<byte> digest) => Convert.ToHexString(digest).ToLowerInvariant();
}
