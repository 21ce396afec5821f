using System.Text;
using LogTools.Engine.Runs;

namespace LogTools.Engine.Tests.Runs;

public sealed class RunEnvelopeScanTests
{
    // Lines the fast check must read exactly as the JSON reader does (withPayload reads through the reader only):
    // the same sequence and type, and null for every line that is broken or no run event.
    [Theory]
    [InlineData("""{"sequence":7,"time":"2026-12-01T10:00:00.123Z","type":"console.line","run_id":"r1","payload":{"message":"plain"}}""")]
    [InlineData("""{"sequence":8,"type":"console.line","payload":{"message":"esc \" \\ \/ \b \f \n \r \t \u001b[31m é ☃","n":[1,-2.5,3e4,0,-0,1E-2,true,false,null,{},[]]}}""")]
    [InlineData("""{ "sequence" : 9 , "type" : "x" , "payload" : { "a" : [ 1 , { "b" : null } ] } }""")]
    [InlineData("""{"type":"a","sequence":1,"sequence":2,"type":"b"}""")]
    [InlineData("""{"sequence":3,"type":""}""")]
    [InlineData("""{"sequence":3,"type":"t\u0041"}""")]
    [InlineData("""{"sequ\u0065nce":3,"type":"t"}""")]
    [InlineData("""{"sequence":0,"type":"t"}""")]
    [InlineData("""{"sequence":-4,"type":"t"}""")]
    [InlineData("""{"sequence":4.0,"type":"t"}""")]
    [InlineData("""{"sequence":99999999999999999999,"type":"t"}""")]
    [InlineData("""{"sequence":"5","type":"t"}""")]
    [InlineData("""{"sequence":5,"type":7}""")]
    [InlineData("""{"sequence":5}""")]
    [InlineData("""{"sequence":5,"type":"t"} trailing""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"message":"cut""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":1,}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":01}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":1.}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":tru}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":"bad \x"}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":"bad \u12"}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a" 1}}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":[1 2]}""")]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":1}""")]
    [InlineData("""{"sequence":5,"type":"t",}""")]
    [InlineData("""{"sequence":5 "type":"t"}""")]
    [InlineData("""{}""")]
    [InlineData("""[1]""")]
    [InlineData(""" {"sequence":5,"type":"t"}""")]
    public void TheFastCheckReadsEveryLineAsTheJsonReaderDoes(string text)
    {
        var line = Encoding.UTF8.GetBytes(text);
        var expected = RunEnvelope.Read(line, withPayload: true);
        var actual = RunEnvelope.Read(line, withPayload: false);
        Assert.Equal(expected?.Sequence, actual?.Sequence);
        Assert.Equal(expected?.Type, actual?.Type);
    }

    [Fact]
    public void ControlCharactersAndDeepNesting_AreJudgedByTheReader()
    {
        foreach (var text in new[]
        {
            "{\"sequence\":5,\"type\":\"t\",\"payload\":{\"a\":\"tab\tinside\"}}",
            "{\"sequence\":5,\"type\":\"t\",\"payload\":" + new string('[', 70) + new string(']', 70) + "}",
            "{\"sequence\":5,\"type\":\"t\",\"payload\":" + new string('[', 40) + new string(']', 40) + "}",
        })
        {
            var line = Encoding.UTF8.GetBytes(text);
            Assert.Equal(RunEnvelope.Read(line, withPayload: true)?.Sequence, RunEnvelope.Read(line, withPayload: false)?.Sequence);
        }
    }

    [Fact]
    public void AWellFormedEnvelope_IsReadWithoutTheReader()
    {
        var line = """{"sequence":12,"time":"2026-12-01T10:00:00.123Z","type":"console.line","run_id":"r1","payload":{"message":"x","n":[1.5e3,null]}}"""u8;
        Assert.True(RunEnvelopeScan.TryRead(line, out var sequence, out var type, out var hasType));
        Assert.Equal(12, sequence);
        Assert.True(hasType);
        Assert.Equal("console.line"u8.ToArray(), type.ToArray());
    }
}
