using System.Security.Cryptography;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The hash function H of a Merkle tree (RFC 9162, section 2.1.1). BLAKE3 is the one LogTools stores;
/// SHA-256 exists so the tree shape can be proved against the RFC 6962/9162 reference vectors.
/// </summary>
public abstract class MerkleHash
{
    /// <summary>Output size in bytes of every hash in the tree.</summary>
    public const int Size = 32;

    private MerkleHash(string name) => Name = name;

    /// <summary>BLAKE3 (32-byte output): the hash of every tree LogTools stores.</summary>
    public static MerkleHash Blake3 { get; } = new Blake3Function();

    /// <summary>SHA-256: the RFC's own choice, for its test vectors.</summary>
    public static MerkleHash Sha256 { get; } = new Sha256Function();

    /// <summary>The function's name, as recorded beside a stored root.</summary>
    public string Name { get; }

    /// <summary>Writes H(input) to the first <see cref="Size"/> bytes of <paramref name="output"/>.</summary>
    public abstract void Hash(ReadOnlySpan<byte> input, Span<byte> output);

    public override string ToString() => Name;

    private sealed class Blake3Function() : MerkleHash("BLAKE3")
    {
        public override void Hash(ReadOnlySpan<byte> input, Span<byte> output) => Blake3Hasher.Hash(input, output[..Size]);
    }

    private sealed class Sha256Function() : MerkleHash("SHA-256")
    {
        public override void Hash(ReadOnlySpan<byte> input, Span<byte> output) => SHA256.HashData(input, output[..Size]);
    }
}
