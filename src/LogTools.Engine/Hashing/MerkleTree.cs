namespace LogTools.Engine.Hashing;

/// <summary>
/// Merkle trees of RFC 9162 (Certificate Transparency v2), section 2.1, over an ordered list of leaves:
/// leaf hash = H(0x00 ‖ leaf bytes), node hash = H(0x01 ‖ left ‖ right), and a list of n &gt; 1 leaves is
/// split at the largest power of two smaller than n. The domain separation keeps a leaf from posing as a
/// node (second-preimage attacks), and the split makes every tree size have one shape.
/// Leaves here are already leaf hashes (<see cref="LeafHash"/>), so callers can keep and re-use them.
/// </summary>
public static class MerkleTree
{
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>H(0x00 ‖ <paramref name="leaf"/>): the hash of one entry, as it stands in the tree.</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf, MerkleHash hash)
    {
        var input = leaf.Length <= 1024 ? stackalloc byte[leaf.Length + 1] : new byte[leaf.Length + 1];
        input[0] = LeafPrefix;
        leaf.CopyTo(input[1..]);
        var output = new byte[MerkleHash.Size];
        hash.Hash(input, output);
        return output;
    }

    /// <summary>H(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, MerkleHash hash)
    {
        Span<byte> input = stackalloc byte[1 + 2 * MerkleHash.Size];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + MerkleHash.Size)..]);
        var output = new byte[MerkleHash.Size];
        hash.Hash(input, output);
        return output;
    }

    /// <summary>The tree head of the leaf hashes in order; H of nothing for an empty list (RFC 9162, 2.1.1).</summary>
    public static byte[] Root(IEnumerable<byte[]> leafHashes, MerkleHash hash)
    {
        var builder = new MerkleTreeBuilder(hash);
        foreach (var leaf in leafHashes)
        {
            builder.Append(leaf);
        }

        return builder.Root();
    }

    /// <summary>
    /// The inclusion proof (audit path, RFC 9162 2.1.3.1) of leaf <paramref name="index"/>: the sibling
    /// hashes from the leaf up to the root, nearest first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not that of a leaf.</exception>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leafHashes, int index, MerkleHash hash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Count);
        var path = new List<byte[]>();
        Path(leafHashes, 0, leafHashes.Count, index, hash, path);
        return path;
    }

    /// <summary>
    /// Verifies an inclusion proof (RFC 9162, 2.1.3.2): true when <paramref name="leafHash"/> at
    /// <paramref name="index"/> of a tree of <paramref name="treeSize"/> leaves leads through
    /// <paramref name="proof"/> to <paramref name="root"/>. Needs nothing but the proof itself.
    /// </summary>
    public static bool VerifyInclusion(ReadOnlySpan<byte> leafHash, long index, long treeSize, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root, MerkleHash hash)
    {
        if (index < 0 || index >= treeSize)
        {
            return false;
        }

        long fn = index, sn = treeSize - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (sn == 0 || p.Length != MerkleHash.Size)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r, hash);
                if ((fn & 1) == 0)
                {
                    // A right-edge node with no sibling at these levels: climb to where it is a right child.
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(r, p, hash);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt; 1): where RFC 9162 splits.</summary>
    internal static long Split(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    private static byte[] Path(IReadOnlyList<byte[]> leaves, int start, int count, int index, MerkleHash hash, List<byte[]> path)
    {
        if (count == 1)
        {
            return leaves[start];
        }

        var k = (int)Split(count);
        byte[] left, right;
        if (index < k)
        {
            left = Path(leaves, start, k, index, hash, path);
            right = Root(Slice(leaves, start + k, count - k), hash);
            path.Add(right);
        }
        else
        {
            left = Root(Slice(leaves, start, k), hash);
            right = Path(leaves, start + k, count - k, index - k, hash, path);
            path.Add(left);
        }

        return NodeHash(left, right, hash);
    }

    private static IEnumerable<byte[]> Slice(IReadOnlyList<byte[]> leaves, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return leaves[i];
        }
    }
}
