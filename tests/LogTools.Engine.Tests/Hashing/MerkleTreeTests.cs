using LogTools.Engine.Hashing;

namespace LogTools.Engine.Tests.Hashing;

public sealed class MerkleTreeTests
{
    // The RFC 6962 reference inputs and tree heads (certificate-transparency's merkle tree tests), with
    // SHA-256 as H: the same code with BLAKE3 as H is then the RFC 9162 shape LogTools stores.
    private static readonly byte[][] ReferenceLeaves =
        [.. new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }.Select(Convert.FromHexString)];

    private static readonly string[] ReferenceRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<int, int, string[]> ReferenceProofs => new()
    {
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
    };

    [Fact]
    public void Tree_heads_equal_the_RFC_6962_reference_roots_for_every_size_0_to_8()
    {
        var leaves = ReferenceLeaves.Select(l => MerkleTree.LeafHash(l, MerkleHash.Sha256)).ToArray();
        for (var n = 0; n <= leaves.Length; n++)
        {
            Assert.Equal(ReferenceRoots[n], Hex(MerkleTree.Root(leaves.Take(n), MerkleHash.Sha256)));
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceProofs))]
    public void Inclusion_proofs_equal_the_reference_audit_paths_and_verify(int index, int size, string[] expected)
    {
        var leaves = ReferenceLeaves.Take(size).Select(l => MerkleTree.LeafHash(l, MerkleHash.Sha256)).ToArray();

        var proof = MerkleTree.InclusionProof(leaves, index, MerkleHash.Sha256);

        Assert.Equal(expected, proof.Select(Hex));
        Assert.True(MerkleTree.VerifyInclusion(leaves[index], index, size, proof, Convert.FromHexString(ReferenceRoots[size]), MerkleHash.Sha256));
    }

    [Fact]
    public void Every_leaf_of_every_tree_size_proves_its_inclusion_and_any_change_breaks_the_proof()
    {
        var leaves = Enumerable.Range(0, 70).Select(i => MerkleTree.LeafHash([(byte)i, (byte)(i * 7)], MerkleHash.Blake3)).ToArray();
        for (var size = 1; size <= leaves.Length; size++)
        {
            var tree = leaves.Take(size).ToArray();
            var root = MerkleTree.Root(tree, MerkleHash.Blake3);
            for (var i = 0; i < size; i++)
            {
                var proof = MerkleTree.InclusionProof(tree, i, MerkleHash.Blake3);
                Assert.True(MerkleTree.VerifyInclusion(tree[i], i, size, proof, root, MerkleHash.Blake3), $"leaf {i} of {size}");
                Assert.False(MerkleTree.VerifyInclusion(tree[(i + 1) % size], i, size, proof, root, MerkleHash.Blake3) && size > 1, $"a wrong leaf {i} of {size}");
                if (proof.Count > 0)
                {
                    var tampered = proof.Select(p => (byte[])p.Clone()).ToArray();
                    tampered[^1][0] ^= 1;
                    Assert.False(MerkleTree.VerifyInclusion(tree[i], i, size, tampered, root, MerkleHash.Blake3), $"a tampered path {i} of {size}");
                }
            }
        }
    }

    [Fact]
    public void A_leaf_cannot_pose_as_a_node_thanks_to_the_domain_prefixes()
    {
        var a = MerkleTree.LeafHash("a"u8, MerkleHash.Blake3);
        var b = MerkleTree.LeafHash("b"u8, MerkleHash.Blake3);
        var node = MerkleTree.NodeHash(a, b, MerkleHash.Blake3);

        // A one-leaf tree whose leaf bytes are left ‖ right must not have the two-leaf tree's head.
        Assert.NotEqual(Hex(node), Hex(MerkleTree.Root([MerkleTree.LeafHash([.. a, .. b], MerkleHash.Blake3)], MerkleHash.Blake3)));
        Assert.Equal(Hex(node), Hex(MerkleTree.Root([a, b], MerkleHash.Blake3)));
        Assert.Equal(Hex(Blake3Hasher.Hash([0x00, .. "a"u8])), Hex(a));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
