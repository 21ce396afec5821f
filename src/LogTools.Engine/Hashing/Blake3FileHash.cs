namespace LogTools.Engine.Hashing;

/// <summary>The digest of a file or stream and the number of bytes it covers.</summary>
public sealed class Blake3FileHash
{
    internal Blake3FileHash(byte[] digest, long length)
    {
        Digest = digest;
        Length = length;
    }

    /// <summary>The digest (32 bytes unless another output length was asked for).</summary>
    public byte[] Digest { get; }

    /// <summary>Bytes hashed.</summary>
    public long Length { get; }

    /// <summary>The digest in lowercase hex, as <c>b3sum</c> prints it.</summary>
    public override string ToString() => HexDigest.Of(Digest);
}
