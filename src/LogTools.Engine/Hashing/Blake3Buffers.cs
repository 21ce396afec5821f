using System.Runtime.CompilerServices;

namespace LogTools.Engine.Hashing;

// Fixed-size inline buffers so that a hasher is one allocation and copying state is a struct copy.

/// <summary>Eight 32-bit words: a key or a chaining value.</summary>
[InlineArray(8)]
internal struct Blake3Words8
{
    private uint _element;
}

/// <summary>One 64-byte message block.</summary>
[InlineArray(Blake3Core.BlockLen)]
internal struct Blake3Block
{
    private byte _element;
}

/// <summary>The chaining-value stack: one 32-byte entry per tree level (2^54 chunks cover 2^64 bytes), plus one for lazy merging.</summary>
[InlineArray(Blake3Core.MaxDepth * Blake3Core.OutLen)]
internal struct Blake3CvStack
{
    private byte _element;
}
