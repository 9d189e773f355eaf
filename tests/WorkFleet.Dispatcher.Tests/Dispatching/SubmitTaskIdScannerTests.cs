using System.Text;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Tests.Dispatching;

/// <summary>The task id of an oversized submit is found without deserializing it, wherever the producers put it.</summary>
[Trait("Category", "Security")]
public sealed class SubmitTaskIdScannerTests
{
    private static readonly Guid Id = Guid.Parse("6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01");
    private static readonly string Big = new('x', 200_000);

    [Theory]
    [InlineData("""{"taskId":"6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01","jobType":"a","payload":{"t":"BIG"}}""")]
    [InlineData("""{"jobType":"a","payload":{"taskId":"00000000-0000-0000-0000-000000000001","t":["BIG",{"x":[1,2]}]},"TaskId":"6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01"}""")]
    [InlineData("""{"messageId":"m","headers":{"taskId":"00000000-0000-0000-0000-000000000002"},"message":{"payload":"BIG","taskId":"6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01"},"host":{}}""")]
    [InlineData("""{"message":{"payload":"BIG"},"taskId":"6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01"}""")]
    public void FindTaskId_TopLevelOrInEnvelopeMessage_FoundAndNestedLookalikesIgnored(string json)
    {
        var found = SubmitTaskIdScanner.FindTaskId(Body(json));

        Assert.Equal(Id, found);
    }

    [Theory]
    [InlineData("""{"jobType":"a","payload":{"taskId":"6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01","t":"BIG"}}""")]
    [InlineData("""{"taskId":"not-a-guid","payload":"BIG"}""")]
    [InlineData("""{"taskId":"00000000-0000-0000-0000-000000000000","payload":"BIG"}""")]
    [InlineData("""{"taskId":12,"payload":"BIG"}""")]
    [InlineData("""["6f1c3e0a-9d1b-4c55-8a47-0b3f2d1e9c01","BIG"]""")]
    [InlineData("""{"payload":"BIG","taskId":"6f1c3e0a-9d1b""")]
    [InlineData("""not json at all BIG""")]
    public void FindTaskId_NoUsableTopLevelId_Null(string json)
    {
        Assert.Null(SubmitTaskIdScanner.FindTaskId(Body(json)));
    }

    [Fact]
    public void FindTaskId_NestingDeeperThanTheLimit_NullWithoutThrowing()
    {
        var deep = "{\"payload\":" + new string('[', SubmitTaskIdScanner.MaxDepth + 10) + new string(']', SubmitTaskIdScanner.MaxDepth + 10) + ",\"taskId\":\"" + Id + "\"}";

        Assert.Null(SubmitTaskIdScanner.FindTaskId(Body(deep)));
    }

    private static byte[] Body(string json) => Encoding.UTF8.GetBytes(json.Replace("BIG", Big, StringComparison.Ordinal));
}
