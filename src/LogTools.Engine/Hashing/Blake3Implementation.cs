using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LogTools.Engine.Hashing;

/// <summary>The compression back-ends, widest last; tests force one to prove that every path gives the same digest.</summary>
internal enum Blake3Implementation
{
    Scalar,
    Vector128,
    Vector256,
    Vector512,
}

/// <summary>Which back-ends this machine runs.</summary>
internal static class Blake3Implementations
{
    /// <summary>The widest back-end that is both supported and fast here (512-bit only where the runtime says it pays off).</summary>
    public static readonly Blake3Implementation Best =
        Vector512.IsHardwareAccelerated && IsSupported(Blake3Implementation.Vector512) ? Blake3Implementation.Vector512
        : IsSupported(Blake3Implementation.Vector256) ? Blake3Implementation.Vector256
        : IsSupported(Blake3Implementation.Vector128) ? Blake3Implementation.Vector128
        : Blake3Implementation.Scalar;

    public static bool IsSupported(Blake3Implementation implementation) => implementation switch
    {
        Blake3Implementation.Scalar => true,
        Blake3Implementation.Vector128 => Sse41.IsSupported,
        Blake3Implementation.Vector256 => Avx2.IsSupported,
        Blake3Implementation.Vector512 => Avx512F.IsSupported,
        _ => false,
    };
}
