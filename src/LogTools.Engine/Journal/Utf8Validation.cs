using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Unicode;

namespace LogTools.Engine.Journal;

/// <summary>
/// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), with the
/// same answer as <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>. Every line of an import is checked; the framework's
/// check slows to a few bytes a cycle on text whose non-ASCII characters are spread through it, so with AVX2 this one
/// looks at 32 bytes at a time by the table method of Keiser and Lemire ("Validating UTF-8 in less than one
/// instruction per byte", 2021): each byte, its predecessor and the predecessor's lead are classified by three
/// 16-entry tables of error bits, whose AND is non-zero only for a pair no valid text holds. Without AVX2 (and for
/// short spans) the framework answers.
/// </summary>
internal static class Utf8Validation
{
    // One bit per way a byte pair (first, second) can be wrong; a pair is wrong when its first byte's high nibble, its
    // first byte's low nibble and its second byte's high nibble all carry the same bit.
    private const byte TooShort = 1 << 0;      // a lead followed by ASCII or another lead
    private const byte TooLong = 1 << 1;       // ASCII followed by a continuation
    private const byte Overlong3 = 1 << 2;     // E0 80..9F
    private const byte TooLarge = 1 << 3;      // F4 90..BF, F5..FF 90..BF
    private const byte Surrogate = 1 << 4;     // ED A0..BF
    private const byte Overlong2 = 1 << 5;     // C0 or C1 then a continuation
    private const byte Overlong4OrTooLarge = 1 << 6; // F0 80..8F, F5..FF 80..8F
    private const byte TwoContinuations = 1 << 7; // a continuation after a continuation: right only inside a 3- or 4-byte form

    private static readonly Vector256<byte> FirstHigh = Table(FirstHighBits);
    private static readonly Vector256<byte> FirstLow = Table(FirstLowBits);
    private static readonly Vector256<byte> SecondHigh = Table(SecondHighBits);

    // Saturating subtraction of these leaves a non-zero byte only where a form starts too close to the block's end to
    // be complete in it: a lead in the last byte, a 3- or 4-byte lead in the one before, a 4-byte lead before that.
    private static readonly Vector256<byte> IncompleteLimits = Vector256.Create(
        (byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xEF, 0xDF, 0xBF);

    // Below this the framework's check, with no block set-up, is as fast.
    private const int ShortSpan = 64;

    /// <summary>True when <paramref name="bytes"/> is well-formed UTF-8.</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) =>
        Avx2.IsSupported && bytes.Length >= ShortSpan ? IsValidByBlocks(bytes) : Utf8.IsValid(bytes);

    /// <summary>The 32-byte block check, for any length; needs AVX2 (<see cref="Avx2.IsSupported"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool IsValidByBlocks(ReadOnlySpan<byte> bytes)
    {
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var error = Vector256<byte>.Zero;
        var previous = Vector256<byte>.Zero;
        var incomplete = Vector256<byte>.Zero;
        var whole = bytes.Length - (bytes.Length % Vector256<byte>.Count);
        var at = 0;
        for (; at + (4 * Vector256<byte>.Count) <= whole; at += 4 * Vector256<byte>.Count)
        {
            var first = Vector256.LoadUnsafe(ref start, (nuint)at);
            var second = Vector256.LoadUnsafe(ref start, (nuint)(at + Vector256<byte>.Count));
            var third = Vector256.LoadUnsafe(ref start, (nuint)(at + (2 * Vector256<byte>.Count)));
            var fourth = Vector256.LoadUnsafe(ref start, (nuint)(at + (3 * Vector256<byte>.Count)));
            if ((first | second | third | fourth).ExtractMostSignificantBits() == 0)
            {
                // 128 bytes of ASCII, as most of a log is: right unless the bytes before ended inside a form.
                error |= incomplete;
                incomplete = Vector256<byte>.Zero;
                previous = fourth;
                continue;
            }

            Check(first, ref previous, ref incomplete, ref error);
            Check(second, ref previous, ref incomplete, ref error);
            Check(third, ref previous, ref incomplete, ref error);
            Check(fourth, ref previous, ref incomplete, ref error);
        }

        for (; at < whole; at += Vector256<byte>.Count)
        {
            Check(Vector256.LoadUnsafe(ref start, (nuint)at), ref previous, ref incomplete, ref error);
        }

        if (whole < bytes.Length)
        {
            // The tail padded with zeros (ASCII): a form cut off by the end meets ASCII and is flagged too short.
            Span<byte> tail = stackalloc byte[Vector256<byte>.Count];
            tail.Clear();
            bytes[whole..].CopyTo(tail);
            Check(Vector256.Create<byte>(tail), ref previous, ref incomplete, ref error);
        }

        error |= incomplete;
        return error == Vector256<byte>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check(Vector256<byte> block, ref Vector256<byte> previous, ref Vector256<byte> incomplete, ref Vector256<byte> error)
    {
        // The bytes one, two and three places before each byte of the block, across the block boundary.
        var across = Avx2.Permute2x128(previous, block, 0x21);
        var before1 = Avx2.AlignRight(block, across, 15);
        var before2 = Avx2.AlignRight(block, across, 14);
        var before3 = Avx2.AlignRight(block, across, 13);

        var low = Vector256.Create((byte)0x0F);
        var pairs = Avx2.Shuffle(FirstHigh, Avx2.ShiftRightLogical(before1.AsUInt16(), 4).AsByte() & low)
            & Avx2.Shuffle(FirstLow, before1 & low)
            & Avx2.Shuffle(SecondHigh, Avx2.ShiftRightLogical(block.AsUInt16(), 4).AsByte() & low);

        // Where a 3-byte lead is two places back or a 4-byte lead three places back, the byte must be a continuation
        // after a continuation: there TwoContinuations is required, elsewhere it is an error.
        var third = Avx2.SubtractSaturate(before2, Vector256.Create((byte)(0xE0 - 0x80)));
        var fourth = Avx2.SubtractSaturate(before3, Vector256.Create((byte)(0xF0 - 0x80)));
        var required = (third | fourth) & Vector256.Create(TwoContinuations);
        error |= pairs ^ required;

        incomplete = Avx2.SubtractSaturate(block, IncompleteLimits);
        previous = block;
    }

    /// <summary>A 16-entry table repeated in both 128-bit lanes, as the in-lane byte shuffle looks it up.</summary>
    private static Vector256<byte> Table(Func<int, byte> bits)
    {
        Span<byte> table = stackalloc byte[32];
        for (var nibble = 0; nibble < 16; nibble++)
        {
            table[nibble] = table[nibble + 16] = bits(nibble);
        }

        return Vector256.Create<byte>(table);
    }

    private static byte FirstHighBits(int nibble) => nibble switch
    {
        < 0x8 => TooLong,
        < 0xC => TwoContinuations,
        0xC => TooShort | Overlong2,
        0xD => TooShort,
        0xE => TooShort | Overlong3 | Surrogate,
        _ => TooShort | TooLarge | Overlong4OrTooLarge,
    };

    // The pair rules that hold whatever the first byte's low nibble is pass through every entry.
    private static byte FirstLowBits(int nibble)
    {
        var bits = (byte)(TooShort | TooLong | TwoContinuations);
        bits |= nibble switch
        {
            0x0 => Overlong2 | Overlong3 | Overlong4OrTooLarge,
            0x1 => Overlong2,
            < 0x4 => 0,
            0x4 => TooLarge,
            _ => TooLarge | Overlong4OrTooLarge,
        };
        return nibble == 0xD ? (byte)(bits | Surrogate) : bits;
    }

    private static byte SecondHighBits(int nibble) => nibble switch
    {
        < 0x8 => TooShort,
        0x8 => TooLong | TwoContinuations | Overlong2 | Overlong3 | Overlong4OrTooLarge,
        0x9 => TooLong | TwoContinuations | Overlong2 | Overlong3 | TooLarge,
        < 0xC => TooLong | TwoContinuations | Overlong2 | Surrogate | TooLarge,
        _ => TooShort,
    };
}
