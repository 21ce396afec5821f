using System.Text;
using LogTools.Engine.Store;

namespace LogTools.Engine.Tests.Store;

/// <summary>The store's one text form of a timestamp, as a string and as the UTF-8 that bulk inserts bind.</summary>
public sealed class StoreTimeTests
{
    public static TheoryData<DateTimeOffset> Times()
    {
        var data = new TheoryData<DateTimeOffset>
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch,
            new(999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero),
            new(2025, 1, 1, 0, 30, 0, 5, TimeSpan.FromHours(5.5)),
            new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(-12)),
        };
        // Sub-millisecond ticks are cut, as the text form cuts them (never rounded up into the next second).
        data.Add(new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999));
        var random = new Random(16);
        for (var i = 0; i < 200; i++)
        {
            data.Add(new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromMinutes(random.Next(-56, 57) * 15)));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Times))]
    public void The_utf8_form_is_the_text_form_byte_for_byte(DateTimeOffset time)
    {
        var utf8 = StoreTime.ToUtf8(time, stackalloc byte[StoreTime.TextLength + 8]);

        Assert.Equal(StoreTime.ToText(time), Encoding.UTF8.GetString(utf8));
        Assert.Equal(time.UtcDateTime.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerMillisecond)), StoreTime.Parse(Encoding.UTF8.GetString(utf8)).UtcDateTime);
    }
}
