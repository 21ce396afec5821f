using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LogTools.Engine.Hashing;

/// <summary>
/// The operations the SIMD kernel needs from one vector width. Each lane of a vector holds the same state
/// word of a different input, so N inputs are compressed with the scalar algorithm's instruction count.
/// </summary>
internal unsafe interface IBlake3Lanes<TVector>
    where TVector : unmanaged
{
    static abstract int Count { get; }

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Xor(TVector a, TVector b);

    static abstract TVector Broadcast(uint value);

    static abstract TVector Load(uint* source);

    static abstract void Store(TVector value, uint* destination);

    static abstract TVector RotateRight16(TVector value);

    static abstract TVector RotateRight12(TVector value);

    static abstract TVector RotateRight8(TVector value);

    static abstract TVector RotateRight7(TVector value);

    /// <summary>Loads one 64-byte block from each of Count inputs and transposes it so that vector w holds word w of every input.</summary>
    static abstract void LoadTransposed(byte* block, nint stride, TVector* words);
}

/// <summary>The kernel, written once over the vector width.</summary>
[SkipLocalsInit]
internal static unsafe class Blake3Simd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G<TL, TV>(ref TV a, ref TV b, ref TV c, ref TV d, TV x, TV y)
        where TL : struct, IBlake3Lanes<TV>
        where TV : unmanaged
    {
        a = TL.Add(TL.Add(a, b), x);
        d = TL.RotateRight16(TL.Xor(d, a));
        c = TL.Add(c, d);
        b = TL.RotateRight12(TL.Xor(b, c));
        a = TL.Add(TL.Add(a, b), y);
        d = TL.RotateRight8(TL.Xor(d, a));
        c = TL.Add(c, d);
        b = TL.RotateRight7(TL.Xor(b, c));
    }

    /// <summary>Hashes exactly TL.Count inputs in parallel; the contract is that of <see cref="Blake3Core.HashMany"/>.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void HashLanes<TL, TV>(
        byte* input, nint stride, int blocks, uint* key, ulong counter, bool incrementCounter,
        uint flags, uint flagsStart, uint flagsEnd, byte* output)
        where TL : struct, IBlake3Lanes<TV>
        where TV : unmanaged
    {
        int n = TL.Count;
        uint* counterWords = stackalloc uint[2 * n];
        for (int i = 0; i < n; i++)
        {
            ulong c = counter + (incrementCounter ? (ulong)i : 0);
            counterWords[i] = (uint)c;
            counterWords[n + i] = (uint)(c >> 32);
        }

        TV h0 = TL.Broadcast(key[0]), h1 = TL.Broadcast(key[1]), h2 = TL.Broadcast(key[2]), h3 = TL.Broadcast(key[3]);
        TV h4 = TL.Broadcast(key[4]), h5 = TL.Broadcast(key[5]), h6 = TL.Broadcast(key[6]), h7 = TL.Broadcast(key[7]);
        TV counterLow = TL.Load(counterWords), counterHigh = TL.Load(counterWords + n);
        TV blockLen = TL.Broadcast(Blake3Core.BlockLen);
        TV* m = stackalloc TV[16];
        ReadOnlySpan<byte> schedule = Blake3Core.Schedule;

        // Inputs are read as n interleaved streams, which hardware prefetchers follow poorly: prefetch the
        // next batch (n * stride bytes past this one) spread evenly over this batch's blocks.
        byte* next = input + n * stride;
        nint prefetchPerBlock = n * stride / Blake3Core.BlockLen / blocks;
        for (int b = 0; b < blocks; b++)
        {
            if (Sse.IsSupported)
            {
                for (nint i = 0; i < prefetchPerBlock; i++)
                {
                    Sse.Prefetch0(next + (b * prefetchPerBlock + i) * Blake3Core.BlockLen);
                }
            }

            TL.LoadTransposed(input + b * Blake3Core.BlockLen, stride, m);
            uint blockFlags = flags | (b == 0 ? flagsStart : 0) | (b == blocks - 1 ? flagsEnd : 0);
            TV v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
            TV v8 = TL.Broadcast(Blake3Core.IV[0]), v9 = TL.Broadcast(Blake3Core.IV[1]);
            TV v10 = TL.Broadcast(Blake3Core.IV[2]), v11 = TL.Broadcast(Blake3Core.IV[3]);
            TV v12 = counterLow, v13 = counterHigh, v14 = blockLen, v15 = TL.Broadcast(blockFlags);
            for (int r = 0; r < 7; r++)
            {
                ReadOnlySpan<byte> s = schedule.Slice(16 * r, 16);
                G<TL, TV>(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
                G<TL, TV>(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
                G<TL, TV>(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
                G<TL, TV>(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
                G<TL, TV>(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
                G<TL, TV>(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
                G<TL, TV>(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
                G<TL, TV>(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
            }

            h0 = TL.Xor(v0, v8); h1 = TL.Xor(v1, v9); h2 = TL.Xor(v2, v10); h3 = TL.Xor(v3, v11);
            h4 = TL.Xor(v4, v12); h5 = TL.Xor(v5, v13); h6 = TL.Xor(v6, v14); h7 = TL.Xor(v7, v15);
        }

        // One transpose back per input (not per block), so a plain scatter through the stack is cheap enough.
        uint* words = stackalloc uint[8 * n];
        TL.Store(h0, words); TL.Store(h1, words + n); TL.Store(h2, words + 2 * n); TL.Store(h3, words + 3 * n);
        TL.Store(h4, words + 4 * n); TL.Store(h5, words + 5 * n); TL.Store(h6, words + 6 * n); TL.Store(h7, words + 7 * n);
        uint* cv = stackalloc uint[8];
        for (int i = 0; i < n; i++)
        {
            for (int w = 0; w < 8; w++)
            {
                cv[w] = words[w * n + i];
            }

            Blake3Core.StoreCv(cv, output + i * Blake3Core.OutLen);
        }
    }
}

/// <summary>4 lanes: SSE4.1 (rotations by byte shuffles), or AVX-512VL rotates where present.</summary>
[SkipLocalsInit]
internal readonly unsafe struct Blake3Lanes128 : IBlake3Lanes<Vector128<uint>>
{
    public static int Count => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Add(Vector128<uint> a, Vector128<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Xor(Vector128<uint> a, Vector128<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Broadcast(uint value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Load(uint* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<uint> value, uint* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight16(Vector128<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 16)
        : Ssse3.Shuffle(v.AsByte(), Vector128.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight12(Vector128<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 12)
        : Vector128.ShiftRightLogical(v, 12) | Vector128.ShiftLeft(v, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight8(Vector128<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 8)
        : Ssse3.Shuffle(v.AsByte(), Vector128.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateRight7(Vector128<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 7)
        : Vector128.ShiftRightLogical(v, 7) | Vector128.ShiftLeft(v, 25);

    public static void LoadTransposed(byte* block, nint stride, Vector128<uint>* words)
    {
        // Four 4x4 transposes: quarter q of every input becomes words 4q..4q+3.
        for (int q = 0; q < 4; q++)
        {
            Vector128<uint> r0 = Vector128.Load((uint*)(block + 16 * q));
            Vector128<uint> r1 = Vector128.Load((uint*)(block + stride + 16 * q));
            Vector128<uint> r2 = Vector128.Load((uint*)(block + 2 * stride + 16 * q));
            Vector128<uint> r3 = Vector128.Load((uint*)(block + 3 * stride + 16 * q));
            Vector128<ulong> t0 = Sse2.UnpackLow(r0, r1).AsUInt64(), t1 = Sse2.UnpackHigh(r0, r1).AsUInt64();
            Vector128<ulong> t2 = Sse2.UnpackLow(r2, r3).AsUInt64(), t3 = Sse2.UnpackHigh(r2, r3).AsUInt64();
            words[4 * q] = Sse2.UnpackLow(t0, t2).AsUInt32();
            words[4 * q + 1] = Sse2.UnpackHigh(t0, t2).AsUInt32();
            words[4 * q + 2] = Sse2.UnpackLow(t1, t3).AsUInt32();
            words[4 * q + 3] = Sse2.UnpackHigh(t1, t3).AsUInt32();
        }
    }
}

/// <summary>8 lanes: AVX2 (rotations by byte shuffles), or AVX-512VL rotates where present.</summary>
[SkipLocalsInit]
internal readonly unsafe struct Blake3Lanes256 : IBlake3Lanes<Vector256<uint>>
{
    public static int Count => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> a, Vector256<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Xor(Vector256<uint> a, Vector256<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Broadcast(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Load(uint* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<uint> value, uint* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight16(Vector256<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 16)
        : Avx2.Shuffle(v.AsByte(), Vector256.Create((byte)2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight12(Vector256<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 12)
        : Vector256.ShiftRightLogical(v, 12) | Vector256.ShiftLeft(v, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight8(Vector256<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 8)
        : Avx2.Shuffle(v.AsByte(), Vector256.Create((byte)1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12)).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateRight7(Vector256<uint> v) => Avx512F.VL.IsSupported
        ? Avx512F.VL.RotateRight(v, 7)
        : Vector256.ShiftRightLogical(v, 7) | Vector256.ShiftLeft(v, 25);

    public static void LoadTransposed(byte* block, nint stride, Vector256<uint>* words)
    {
        // Two 8x8 transposes: half h of every input becomes words 8h..8h+7.
        Vector256<uint>* r = stackalloc Vector256<uint>[8];
        Vector256<ulong>* u = stackalloc Vector256<ulong>[8];
        for (int h = 0; h < 2; h++)
        {
            for (int i = 0; i < 8; i++)
            {
                r[i] = Vector256.Load((uint*)(block + i * stride + 32 * h));
            }

            // After the 32- and 64-bit unpacks, u[j] holds word j (low 128 bits) and word j+4 (high) of four inputs.
            for (int g = 0; g < 2; g++)
            {
                Vector256<ulong> t0 = Avx2.UnpackLow(r[4 * g], r[4 * g + 1]).AsUInt64();
                Vector256<ulong> t1 = Avx2.UnpackHigh(r[4 * g], r[4 * g + 1]).AsUInt64();
                Vector256<ulong> t2 = Avx2.UnpackLow(r[4 * g + 2], r[4 * g + 3]).AsUInt64();
                Vector256<ulong> t3 = Avx2.UnpackHigh(r[4 * g + 2], r[4 * g + 3]).AsUInt64();
                u[4 * g] = Avx2.UnpackLow(t0, t2);
                u[4 * g + 1] = Avx2.UnpackHigh(t0, t2);
                u[4 * g + 2] = Avx2.UnpackLow(t1, t3);
                u[4 * g + 3] = Avx2.UnpackHigh(t1, t3);
            }

            for (int j = 0; j < 4; j++)
            {
                words[8 * h + j] = Avx2.Permute2x128(u[j], u[4 + j], 0x20).AsUInt32();
                words[8 * h + j + 4] = Avx2.Permute2x128(u[j], u[4 + j], 0x31).AsUInt32();
            }
        }
    }
}

/// <summary>16 lanes: AVX-512F, with native rotates.</summary>
[SkipLocalsInit]
internal readonly unsafe struct Blake3Lanes512 : IBlake3Lanes<Vector512<uint>>
{
    public static int Count => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Add(Vector512<uint> a, Vector512<uint> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Xor(Vector512<uint> a, Vector512<uint> b) => a ^ b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Broadcast(uint value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Load(uint* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<uint> value, uint* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight16(Vector512<uint> v) => Avx512F.RotateRight(v, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight12(Vector512<uint> v) => Avx512F.RotateRight(v, 12);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight8(Vector512<uint> v) => Avx512F.RotateRight(v, 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateRight7(Vector512<uint> v) => Avx512F.RotateRight(v, 7);

    public static void LoadTransposed(byte* block, nint stride, Vector512<uint>* words)
    {
        // 16x16 transpose: 32- and 64-bit unpacks give, per group G of four inputs and j in 0..3, a vector whose
        // 128-bit lane q holds word 4q+j of those inputs; two 128-bit shuffles then gather lane q of all groups.
        Vector512<ulong>* a = stackalloc Vector512<ulong>[16];
        for (int k = 0; k < 8; k++)
        {
            Vector512<uint> even = Vector512.Load((uint*)(block + 2 * k * stride));
            Vector512<uint> odd = Vector512.Load((uint*)(block + (2 * k + 1) * stride));
            a[2 * k] = Avx512F.UnpackLow(even, odd).AsUInt64();
            a[2 * k + 1] = Avx512F.UnpackHigh(even, odd).AsUInt64();
        }

        Vector512<uint>* v = stackalloc Vector512<uint>[16];
        for (int g = 0; g < 4; g++)
        {
            v[4 * g] = Avx512F.UnpackLow(a[4 * g], a[4 * g + 2]).AsUInt32();
            v[4 * g + 1] = Avx512F.UnpackHigh(a[4 * g], a[4 * g + 2]).AsUInt32();
            v[4 * g + 2] = Avx512F.UnpackLow(a[4 * g + 1], a[4 * g + 3]).AsUInt32();
            v[4 * g + 3] = Avx512F.UnpackHigh(a[4 * g + 1], a[4 * g + 3]).AsUInt32();
        }

        for (int j = 0; j < 4; j++)
        {
            Vector512<uint> c0 = Avx512F.Shuffle4x128(v[j], v[4 + j], 0x44);
            Vector512<uint> c1 = Avx512F.Shuffle4x128(v[j], v[4 + j], 0xEE);
            Vector512<uint> c2 = Avx512F.Shuffle4x128(v[8 + j], v[12 + j], 0x44);
            Vector512<uint> c3 = Avx512F.Shuffle4x128(v[8 + j], v[12 + j], 0xEE);
            words[j] = Avx512F.Shuffle4x128(c0, c2, 0x88);
            words[4 + j] = Avx512F.Shuffle4x128(c0, c2, 0xDD);
            words[8 + j] = Avx512F.Shuffle4x128(c1, c3, 0x88);
            words[12 + j] = Avx512F.Shuffle4x128(c1, c3, 0xDD);
        }
    }
}
