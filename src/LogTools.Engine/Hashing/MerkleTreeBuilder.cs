namespace LogTools.Engine.Hashing;

/// <summary>
/// Computes an RFC 9162 tree head while leaf hashes stream in, in O(log n) memory: a tree of n leaves is
/// the perfect subtrees of n's binary digits, largest first, joined from the right — exactly the shape
/// of the largest-power-of-two split — so full subtrees are merged as soon as they are complete.
/// </summary>
public sealed class MerkleTreeBuilder
{
    private readonly MerkleHash hash;

    // The hashes of the perfect subtrees, largest (leftmost) first; their sizes are Count's binary digits.
    private readonly List<byte[]> stack = [];

    public MerkleTreeBuilder(MerkleHash hash) => this.hash = hash;

    /// <summary>Leaves appended so far.</summary>
    public long Count { get; private set; }

    /// <summary>Appends the next leaf hash (from <see cref="MerkleTree.LeafHash"/>).</summary>
    public void Append(byte[] leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException($"A leaf hash has {MerkleHash.Size} bytes; this one has {leafHash.Length}.", nameof(leafHash));
        }

        // The new leaf completes one subtree per trailing 1 bit of the count before it: each merges with the one before.
        var node = leafHash;
        for (var before = Count; (before & 1) == 1; before >>= 1)
        {
            node = MerkleTree.NodeHash(stack[^1], node, hash);
            stack.RemoveAt(stack.Count - 1);
        }

        stack.Add(node);
        Count++;
    }

    /// <summary>The tree head of the leaves so far; H of nothing when there are none. Appending may go on.</summary>
    public byte[] Root()
    {
        if (stack.Count == 0)
        {
            var empty = new byte[MerkleHash.Size];
            hash.Hash([], empty);
            return empty;
        }

        var root = stack[^1];
        for (var i = stack.Count - 2; i >= 0; i--)
        {
            root = MerkleTree.NodeHash(stack[i], root, hash);
        }

        return root;
    }
}
