using System.Collections;
using System.Collections.Specialized;
using LogTools.Engine.Sessions;

namespace LogTools.Engine.Tests.Sessions;

public sealed class DetailsJsonTests
{
    [Fact]
    public void Plain_data_becomes_json_keeping_dictionary_order()
    {
        var details = new OrderedDictionary
        {
            ["name"] = "gh-450 \"quoted\"",
            ["count"] = 3,
            ["ratio"] = 0.5,
            ["ok"] = true,
            ["none"] = null,
            ["when"] = new DateTimeOffset(2025, 1, 14, 9, 30, 0, TimeSpan.FromHours(1)),
            ["list"] = new object?[] { 1L, "two", new Hashtable { ["x"] = 1 } },
            ["kind"] = DayOfWeek.Monday,
        };

        Assert.Equal(
            """{"name":"gh-450 \"quoted\"","count":3,"ratio":0.5,"ok":true,"none":null,"when":"2025-01-14T09:30:00.0000000+01:00","list":[1,"two",{"x":1}],"kind":"Monday"}""",
            DetailsJson.Serialize(details, "Details"));
        Assert.Null(DetailsJson.Serialize(null, "Details"));
    }

    [Fact]
    public void Live_objects_cycles_and_non_finite_numbers_are_refused_with_their_path()
    {
        var live = Assert.Throws<LogToolsException>(() => DetailsJson.Serialize(new Hashtable { ["a"] = new List<object> { new Thread(() => { }) } }, "Details"));
        Assert.Equal("DetailsNotSerializable", live.ErrorId);
        Assert.Contains("$.a[0]", live.Message);
        Assert.IsType<Thread>(live.Target);

        var loop = new Hashtable();
        loop["self"] = new object[] { loop };
        var cycle = Assert.Throws<LogToolsException>(() => DetailsJson.Serialize(loop, "Config"));
        Assert.Equal("ConfigNotSerializable", cycle.ErrorId);
        Assert.Contains("cycle", cycle.Message);

        Assert.Equal("DetailsNotSerializable", Assert.Throws<LogToolsException>(() => DetailsJson.Serialize(new Hashtable { ["n"] = double.NaN }, "Details")).ErrorId);
    }

    [Fact]
    public void The_same_dictionary_twice_side_by_side_is_not_a_cycle()
    {
        var shared = new Hashtable { ["v"] = 1 };
        Assert.Equal("""[{"v":1},{"v":1}]""", DetailsJson.Serialize(new[] { shared, shared }, "Details"));
    }

    [Fact]
    public void Stored_json_reads_back_as_a_map_that_prints_as_its_json()
    {
        const string Json = """{"n":1,"ratio":0.5,"tags":["a","b"],"inner":{"ok":true,"none":null},"N2":"x"}""";
        var map = DetailsJson.Parse(Json)!;
        Assert.Equal(1L, map["n"]);
        Assert.Equal(0.5, map["RATIO"]); // keys ignore case, as in the hashtable they came from
        Assert.Equal(new object?[] { "a", "b" }, (object?[])map["tags"]!);
        var inner = Assert.IsType<DataMap>(map["inner"]);
        Assert.Equal(true, inner["ok"]);
        Assert.Null(inner["none"]);
        Assert.Equal(Json, map.ToString());
        Assert.Null(DetailsJson.Parse(null));
        Assert.Null(DetailsJson.Parse("[1,2]"));
        Assert.Null(DetailsJson.Parse("{not json"));
    }
}
