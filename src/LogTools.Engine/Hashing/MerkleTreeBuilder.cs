namespace LogTools.Engine.Hashing;

/// <summary>
/// Computes an RFC 9162 tree head while leaf hashes stream in, in O(log n) memory: a tree of n leaves is
/// the perfect subtrees of n's binary digits, largest first, joined from the right — exactly the shape
/// of the largest-power-of-two split — so full subtrees are merged as soon as they are complete.
/// </summary>
public sealed class MerkleTreeBuilder
{
    private readonly MerkleHash hash;

    // Perfect subtrees, largest (leftmost) first: (leaf count, hash).
    private readonly List<(long Count, byte[] Hash)> stack = [];

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

        Count++;
        var node = (Count: 1L, Hash: leafHash);
        while (stack.Count > 0 && stack[^1].Count == node.Count)
        {
            node = (node.Count * 2, MerkleTree.NodeHash(stack[^1].Hash, node.Hash, hash));
            stack.RemoveAt(stack.Count - 1);
        }

        stack.Add(node);
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

        var root = stack[^1].Hash;
        for (var i = stack.Count - 2; i >= 0; i--)
        {
            root = MerkleTree.NodeHash(stack[i].Hash, root, hash);
        }

        return root;
    }
}
