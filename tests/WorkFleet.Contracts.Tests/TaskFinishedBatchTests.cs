using System.Text.Json;
using WorkFleet.Contracts.Tests.Support;

namespace WorkFleet.Contracts.Tests;

/// <summary>The batch of outcomes a producer gets when it asks for them: its JSON shape and the header that asks.</summary>
public sealed class TaskFinishedBatchTests
{
    [Fact]
    public void Serialize_TaskFinishedBatch_IsAnOutcomesArrayOfTaskFinishedObjects()
    {
        // Arrange
        var batch = new TaskFinishedBatch
        {
            Outcomes =
            [
                new TaskFinished { TaskId = Guid.NewGuid(), Outcome = TaskOutcome.Succeeded, Result = WireJson.Element("""{"sum":42}"""), Attempt = 1 },
                new TaskFinished { TaskId = Guid.NewGuid(), Outcome = TaskOutcome.Failed, Error = "boom", ErrorKind = "handler-error", Attempt = 2 },
            ],
        };

        // Act
        var json = WireJson.Serialize(batch);
        using var document = JsonDocument.Parse(json);
        var copy = WireJson.Deserialize<TaskFinishedBatch>(json);

        // Assert: one property, "outcomes", each element shaped exactly as a TaskFinished; values survive.
        Assert.Equal(["outcomes"], WireJson.PropertyNames(json));
        var elements = document.RootElement.GetProperty("outcomes").EnumerateArray().ToList();
        Assert.Equal(2, elements.Count);
        Assert.All(elements, e => Assert.Equal(WireJson.PropertyNames(WireJson.Serialize(batch.Outcomes[0])), WireJson.PropertyNames(e.GetRawText())));
        Assert.Equal("Failed", elements[1].GetProperty("outcome").GetString());
        Assert.Equal(batch.Outcomes.Select(o => (o.TaskId, o.Outcome, o.Error, o.Attempt)), copy.Outcomes.Select(o => (o.TaskId, o.Outcome, o.Error, o.Attempt)));
    }

    [Fact]
    public void OutcomeBatchesHeader_HasItsDocumentedWireName()
    {
        // Producers in any language set this header by name: renaming it breaks them.
        Assert.Equal("WorkFleet-Outcome-Batches", ProducerHeaders.OutcomeBatches);
    }
}
