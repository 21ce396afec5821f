using System.Runtime.InteropServices;

namespace LogTools.Engine.Hashing;

/// <summary>
/// Hints to the kernel about mapped file pages. Touching a mapped page-cache page the first time costs a page
/// fault (one per 64 KiB with the kernel's fault-around); asking for a whole range in one call is measurably
/// cheaper. Best effort: on other systems, older kernels or without libc this does nothing.
/// </summary>
internal static partial class PageCache
{
    /// <summary>MADV_POPULATE_READ (Linux 5.14+): fault in the page tables of a range as reads would.</summary>
    private const int MadvPopulateRead = 22;

    private const int EInval = 22;

    private const long PageMask = 4095;

    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Populates the page tables of [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of a read-only mapping.</summary>
    public static unsafe void Populate(byte* start, long length)
    {
        if (s_unavailable || length <= 0)
        {
            return;
        }

        // madvise wants a page-aligned start; the extra bytes before it belong to the same mapping.
        nint first = (nint)start & ~(nint)PageMask;
        try
        {
            if (Madvise(first, (nuint)((nint)start - first + length), MadvPopulateRead) != 0 && Marshal.GetLastPInvokeError() == EInval)
            {
                // EINVAL: a kernel that predates the advice. Pages then fault in as they are read.
                s_unavailable = true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
