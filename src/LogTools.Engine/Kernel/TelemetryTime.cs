using System.Runtime.CompilerServices;
using LogTools.Engine.Store;

namespace LogTools.Engine;

/// <summary>
/// The one plausibility rule for the timestamps callers give (API calls, imported lines, events, task and worker
/// steps): not before <see cref="Earliest"/> (a default or zero date) and not more than <see cref="FutureAllowance"/>
/// ahead of this machine's clock (a wrong clock or time zone). Either is the error <see cref="ErrorId"/>.
/// </summary>
public static class TelemetryTime
{
    public const string ErrorId = "TimestampOutOfRange";

    /// <summary>The earliest plausible time: nothing LogTools records predates it, and DateTime.MinValue or 1970 defaults fall before it.</summary>
    public static DateTimeOffset Earliest { get; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of this machine's clock a given time may be (clock skew between machines).</summary>
    public static TimeSpan FutureAllowance { get; } = TimeSpan.FromMinutes(5);

    // Every stored call runs this: compiled fully optimised at its first call (AggressiveOptimization), not run as
    // ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    /// <summary>Returns <paramref name="value"/>, or <paramref name="now"/> when it is null; refuses an implausible time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DateTimeOffset Check(DateTimeOffset? value, DateTimeOffset now, string what)
    {
        if (value is not { } given)
        {
            return now;
        }

        if (given < Earliest || given > now + FutureAllowance)
        {
            var why = given < Earliest
                ? $"is before {StoreTime.ToText(Earliest)}, so it is a default or zero date rather than a real time"
                : $"is more than {FutureAllowance.TotalMinutes:0} minutes in the future (now {StoreTime.ToText(now)})";
            throw new LogToolsException(
                ErrorId, ErrorKind.InvalidArgument, given,
                $"The {what} {given.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {why}. " +
                "Give the real time, or check the clock and time zone of the machine that produced it. Nothing was stored.");
        }

        return given;
    }
}
