using System.Text.Json;

namespace LogTools.Engine.Tests.Kernel;

/// <summary>The run records' JSON written without the reflection serializer is the serializer's own text, byte for byte.</summary>
public sealed class FlatJsonTests
{
    [Fact]
    public void A_payload_is_written_as_the_serializer_writes_it()
    {
        var payload = new Dictionary<string, object?>
        {
            ["source"] = "app <1> & 'two' \"three\" é\n\ttab", ["bytes"] = 1L << 40, ["exit_code"] = (int?)-3, ["none"] = null,
            ["unchanged"] = true, ["restarted"] = false, ["kind"] = DayOfWeek.Friday, ["at"] = new DateTimeOffset(2026, 12, 2, 3, 4, 5, TimeSpan.Zero),
            ["ratio"] = 0.1, ["price"] = 1.50m, ["naïve key/\u2028"] = "x",
        };

        Assert.Equal(JsonSerializer.Serialize(payload), FlatJson.Object(payload));
        Assert.Equal(JsonSerializer.Serialize<IReadOnlyDictionary<string, object?>>(payload), FlatJson.Object((IReadOnlyDictionary<string, object?>)payload));
    }

    [Fact]
    public void Counts_are_written_as_the_serializer_writes_them()
    {
        var counts = new Dictionary<string, long> { ["input_file_count"] = 1, ["bytes_copied"] = long.MaxValue, ["errors"] = 0, ["<odd>"] = -1 };

        Assert.Equal(JsonSerializer.Serialize(counts), FlatJson.Object(counts));
        Assert.Equal("{}", FlatJson.Object(new Dictionary<string, long>()));
    }

    [Fact]
    public void Output_paths_round_trip_as_the_serializer_writes_and_reads_them()
    {
        string[] paths = ["/tmp/a b/c.txt", "C:\\out\\ü.log", "<&>"];

        var json = FlatJson.Array(paths);

        Assert.Equal(JsonSerializer.Serialize(paths), json);
        Assert.Equal(paths, FlatJson.ReadArray(json));
        Assert.Equal("[]", FlatJson.Array([]));
        Assert.Empty(FlatJson.ReadArray("[]"));
        Assert.Empty(FlatJson.ReadArray("null"));
        Assert.Throws<JsonException>(() => FlatJson.ReadArray("{\"a\":1}"));
    }
}
