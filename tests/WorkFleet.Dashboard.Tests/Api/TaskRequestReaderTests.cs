using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Api;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dashboard.Tests.Api;

/// <summary>The body of <c>POST /api/tasks</c> read into tasks, every bad field named; the task rules are the dispatcher's.</summary>
public sealed class TaskRequestReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly IOptions<DispatcherOptions> Dispatcher = Options.Create(new DispatcherOptions { MaxPayloadBytes = 100, MaxSubmitBytes = 400 });
    private readonly TaskRequestReader _reader = new(new SubmitTaskValidator(Dispatcher), Dispatcher, new HttpApiOptions { MaxBatchSize = 2 }, new FakeTimeProvider(Now));

    [Fact]
    public void Read_OneTaskWithEveryField_GivesThatTask()
    {
        var errors = new FieldErrors();
        var id = Guid.NewGuid();

        var task = Assert.Single(Read($$$"""{"taskId":"{{{id}}}","jobType":"compute.matmul","payload":{"size":8},"priority":3,"requiredCapabilities":["gpu"],"timeout":"30s","submittedAt":"2026-12-01T00:00:00Z"}""", errors));

        Assert.True(errors.IsEmpty);
        Assert.Equal(id, task.TaskId);
        Assert.Equal("compute.matmul", task.JobType);
        Assert.Equal(8, task.Payload.GetProperty("size").GetInt32());
        Assert.Equal(3, task.Priority);
        Assert.Equal(["gpu"], task.RequiredCapabilities);
        Assert.Equal(TimeSpan.FromSeconds(30), task.Timeout);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), task.SubmittedAt);
    }

    [Fact]
    public void Read_TaskWithoutIdOrTime_GetsANewIdAndNow()
    {
        var errors = new FieldErrors();

        var task = Assert.Single(Read("""{"jobType":"compute.matmul","payload":{}}""", errors));

        Assert.NotEqual(Guid.Empty, task.TaskId);
        Assert.Equal(Now, task.SubmittedAt);
        Assert.Equal(TaskPriority.Min, task.Priority);
    }

    [Fact]
    public void Read_BatchWithBadItems_NamesEachByIndex_AndGivesNoTask()
    {
        var errors = new FieldErrors();

        var tasks = Read("""[{"jobType":"a","payload":{},"priority":10},{"jobType":" ","payload":"text"}]""", errors);

        Assert.Empty(tasks);
        Assert.Equal(["[0].priority", "[1].jobType", "[1].payload"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.False(errors.TooLarge);
    }

    [Fact]
    public void Read_JobTypeNotAString_NamedOnceForItsType()
    {
        var errors = new FieldErrors();

        Read("""{"jobType":5,"payload":{}}""", errors);

        Assert.Equal(["'jobType' must be a string."], errors.ToDictionary()["jobType"]);
    }

    [Fact]
    public void Read_PayloadOverTheDispatcherLimit_IsTooLarge_WithTheDispatcherMessage()
    {
        var errors = new FieldErrors();

        Read($$$"""{"jobType":"a","payload":{"pad":"{{{new string('x', 200)}}}"}}""", errors);

        Assert.True(errors.TooLarge);
        Assert.Contains("over the limit of 100 bytes (WorkFleet:Dispatcher:MaxPayloadBytes)", Assert.Single(errors.ToDictionary()["payload"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"jobType":"a","payload":{}},{"jobType":"a","payload":{}},{"jobType":"a","payload":{}}]""", "over the limit of 2")]
    [InlineData("[]", "empty")]
    [InlineData("\"text\"", "a task (a JSON object) or a batch")]
    [InlineData("{", "not JSON")]
    public void Read_BodyAsAWholeWrong_NamesTheBody(string body, string message)
    {
        var errors = new FieldErrors();

        Read(body, errors);

        Assert.Contains(message, Assert.Single(errors.ToDictionary()["$"]), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryValidatorProblem_StartsWithItsQuotedField()
    {
        // The API names fields by the quoted name the dispatcher's messages start with; a message without one would be
        // filed under "$". This task breaks every rule the validator has.
        var task = new SubmitTask
        {
            TaskId = Guid.NewGuid(),
            JobType = "",
            Payload = TestJson.Parse($$$"""{"pad":"{{{new string('x', 200)}}}"}"""),
            Priority = -1,
            RequiredCapabilities = [""],
            Timeout = TimeSpan.FromDays(2),
            ExpectedCost = -5,
        };

        var problems = new SubmitTaskValidator(Dispatcher).Validate(task);

        Assert.Equal(["expectedCost", "jobType", "payload", "priority", "requiredCapabilities", "timeout"], problems.Select(SubmitProblemFields.FieldOf).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_ExpectedCost_GivesTheHint()
    {
        var errors = new FieldErrors();

        var task = Assert.Single(Read("""{"jobType":"a","payload":{},"expectedCost":250.5}""", errors));

        Assert.True(errors.IsEmpty);
        Assert.Equal(250.5, task.ExpectedCost);
    }

    [Theory]
    [InlineData("0", "above 0")]
    [InlineData("-3", "above 0")]
    [InlineData("1e12", "at most 86400000")]
    [InlineData("\"fast\"", "must be a number of milliseconds")]
    public void Read_ExpectedCostOutOfRange_NamesTheField(string value, string message)
    {
        var errors = new FieldErrors();

        var tasks = Read($$"""{"jobType":"a","payload":{},"expectedCost":{{value}}}""", errors);

        Assert.Empty(tasks);
        Assert.Contains(message, Assert.Single(errors.ToDictionary()["expectedCost"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("120", 120.0)]
    [InlineData(null, null)]
    public void ReadPrediction_ExpectedCostQuery_GivesTheHint(string? query, double? expected)
    {
        var errors = new FieldErrors();

        var task = _reader.ReadPrediction("a", Encoding.UTF8.GetBytes("{}"), errors, query);

        Assert.True(errors.IsEmpty);
        Assert.Equal(expected, task!.ExpectedCost);
    }

    [Theory]
    [InlineData("soon", "must be a number")]
    [InlineData("NaN", "above 0")]
    public void ReadPrediction_BadExpectedCostQuery_NamesTheField(string query, string message)
    {
        var errors = new FieldErrors();

        var task = _reader.ReadPrediction("a", Encoding.UTF8.GetBytes("{}"), errors, query);

        Assert.Null(task);
        Assert.Contains(message, Assert.Single(errors.ToDictionary()["expectedCost"]), StringComparison.Ordinal);
    }

    private IReadOnlyList<SubmitTask> Read(string body, FieldErrors errors) => _reader.Read(Encoding.UTF8.GetBytes(body), errors);
}
