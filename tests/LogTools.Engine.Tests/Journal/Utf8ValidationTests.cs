using System.Runtime.Intrinsics.X86;
using System.Text;
using System.Text.Unicode;
using LogTools.Engine.Journal;
using Xunit;

namespace LogTools.Engine.Tests.Journal;

/// <summary>
/// The block check must answer exactly as the framework's <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>: a line it
/// wrongly rejects is a call counted malformed, one it wrongly passes is text decoded with replacement characters.
/// Each short sequence is tried at every place around a 32-byte block boundary, inside ASCII and inside valid text.
/// (The block check needs AVX2; on a machine without it only the dispatching <see cref="Utf8Validation.IsValid"/>,
/// which then is the framework's, can be checked.)
/// </summary>
public sealed class Utf8ValidationTests
{
    // Bytes at every edge of the classification: ASCII, each continuation range's ends, every kind of lead and the bytes
    // that are never valid.
    private static readonly byte[] EdgeBytes =
    [
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
        0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF,
    ];

    private static readonly byte[] ValidText = Encoding.UTF8.GetBytes(
        "Zürich 東京 Привет 𝄞 mañana — ½ 🎉 ok; " + "日本語のテキストと English words, ελληνικά, العربية, עברית. " + new string('a', 40));

    [Fact]
    public void Every_pair_of_bytes_at_every_offset_in_a_block_gets_the_frameworks_answer()
    {
        var buffer = new byte[100];
        for (var first = 0; first < 256; first++)
        {
            for (var second = 0; second < 256; second++)
            {
                for (var at = 0; at < 40; at++)
                {
                    Array.Fill(buffer, (byte)'x');
                    buffer[at] = (byte)first;
                    buffer[at + 1] = (byte)second;
                    AssertSameAnswer(buffer);
                }
            }
        }
    }

    [Fact]
    public void Every_lead_byte_with_edge_bytes_after_it_gets_the_frameworks_answer_across_the_block_boundary_and_at_the_end()
    {
        var checkedSpans = 0;
        var buffer = new byte[300];
        Array.Fill(buffer, (byte)'y');
        for (var lead = 0; lead < 256; lead++)
        {
            // A third and fourth byte matter only after a 3- or 4-byte lead; every other pair is the pair test's.
            byte[] thirds = lead >= 0xE0 ? EdgeBytes : [(byte)'y'];
            byte[] fourths = lead >= 0xF0 ? EdgeBytes : [(byte)'y'];
            foreach (var b2 in EdgeBytes)
            {
                foreach (var b3 in thirds)
                {
                    foreach (var b4 in fourths)
                    {
                        // Straddling the first block boundary (30..32) and the first 128-byte group's end, after which 128
                        // bytes of ASCII are passed over whole; and ending the span where a form may be cut short.
                        foreach (var at in (int[])[29, 30, 31, 32, 125, 126, 127, 128])
                        {
                            buffer[at] = (byte)lead;
                            buffer[at + 1] = b2;
                            buffer[at + 2] = b3;
                            buffer[at + 3] = b4;
                            AssertSameAnswer(buffer);
                            AssertSameAnswer(buffer.AsSpan(0, at + 1));
                            AssertSameAnswer(buffer.AsSpan(0, at + 2));
                            AssertSameAnswer(buffer.AsSpan(0, at + 3));
                            Array.Fill(buffer, (byte)'y', at, 4);
                            checkedSpans += 4;
                        }
                    }
                }
            }
        }

        var forms = (0xE0 * EdgeBytes.Length) + (0x10 * EdgeBytes.Length * EdgeBytes.Length) + (0x10 * EdgeBytes.Length * EdgeBytes.Length * EdgeBytes.Length);
        Assert.Equal(forms * 8 * 4, checkedSpans);
    }

    [Fact]
    public void Valid_text_of_every_length_is_valid_and_each_cut_or_changed_byte_gets_the_frameworks_answer()
    {
        var text = string.Concat(Enumerable.Repeat(Encoding.UTF8.GetString(ValidText), 4));
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var length = 0; length <= bytes.Length; length++)
        {
            // A cut inside a character must be rejected, a cut between characters accepted, as the framework says.
            AssertSameAnswer(bytes.AsSpan(0, length));
        }

        Assert.True(Utf8Validation.IsValid(bytes));
        var random = new Random(20261202);
        for (var round = 0; round < 200_000; round++)
        {
            var length = random.Next(0, bytes.Length);
            var copy = bytes.AsSpan(random.Next(0, bytes.Length - length), length).ToArray();
            for (var changes = random.Next(0, 3); changes > 0 && copy.Length > 0; changes--)
            {
                copy[random.Next(copy.Length)] = random.Next(3) == 0 ? EdgeBytes[random.Next(EdgeBytes.Length)] : (byte)random.Next(256);
            }

            AssertSameAnswer(copy);
        }
    }

    [Fact]
    public void Long_spans_are_checked_to_their_last_byte()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("ascii and ünïcödé 文字 ", 4000)));
        Assert.True(Utf8Validation.IsValid(bytes));
        foreach (var at in (int[])[0, 1, 31, 32, 33, bytes.Length / 2, bytes.Length - 33, bytes.Length - 32, bytes.Length - 2, bytes.Length - 1])
        {
            var copy = (byte[])bytes.Clone();
            copy[at] = 0xFF;
            Assert.False(Utf8Validation.IsValid(copy));
            AssertSameAnswer(copy);
        }

        // A 4-byte form whose last byte is missing at the very end.
        var cut = bytes.Concat(Encoding.UTF8.GetBytes("𝄞")[..3]).ToArray();
        Assert.False(Utf8Validation.IsValid(cut));
        AssertSameAnswer(cut);
    }

    private static void AssertSameAnswer(ReadOnlySpan<byte> bytes)
    {
        var expected = Utf8.IsValid(bytes);
        if (Utf8Validation.IsValid(bytes) != expected || (Avx2.IsSupported && Utf8Validation.IsValidByBlocks(bytes) != expected))
        {
            Assert.Fail($"Bytes {Convert.ToHexString(bytes)}: the framework says {(expected ? "valid" : "invalid")}, the block check does not.");
        }
    }
}
