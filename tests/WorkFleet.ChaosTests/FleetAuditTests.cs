using WorkFleet.Data.Entities;

namespace WorkFleet.ChaosTests;

/// <summary>
/// The chaos tests are only as good as their audit: these feed it the rows of broken runs (no servers
/// needed) and check that it names each way a task can be lost or recorded twice.
/// </summary>
public sealed class FleetAuditTests
{
    private static readonly DateTime T0 = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Audit_CleanRun_NoViolations()
    {
        var (task, attempt) = Succeeded(Guid.NewGuid());
        Assert.Empty(FleetAudit.FromRecords([task.Id], [task], [attempt]).FindViolations());
    }

    [Fact]
    public void Audit_SubmittedButNeverRecorded_ReportsLost()
    {
        var (task, attempt) = Succeeded(Guid.NewGuid());
        var lost = Guid.NewGuid();
        var violations = FleetAudit.FromRecords([task.Id, lost], [task], [attempt]).FindViolations();
        Assert.Contains(violations, v => v.StartsWith(lost.ToString(), StringComparison.Ordinal) && v.Contains("lost", StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_TwoAttemptsSucceeded_ReportsTwoOutcomes()
    {
        var (task, first) = Succeeded(Guid.NewGuid());
        task.Attempt = 2;
        var second = Attempt(task.Id, 2, "w2", AttemptState.Succeeded);
        task.WorkerId = "w2";
        var violations = FleetAudit.FromRecords([task.Id], [task], [first, second]).FindViolations();
        Assert.Contains(violations, v => v.Contains("two outcomes", StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_FailedWhereNoFailureWasAllowed_Reported()
    {
        var (task, attempt) = Succeeded(Guid.NewGuid());
        task.Status = TaskState.Failed;
        task.Result = null;
        task.Error = "boom";
        task.ErrorKind = "handler-error";
        attempt.Status = AttemptState.Failed;
        var audit = FleetAudit.FromRecords([task.Id], [task], [attempt]);
        Assert.Contains(audit.FindViolations(), v => v.Contains("should have succeeded", StringComparison.Ordinal));
        Assert.Empty(audit.FindViolations(new HashSet<Guid> { task.Id }));
    }

    [Fact]
    public void Audit_TaskLeftOpen_ReportsNotTerminal()
    {
        var (task, attempt) = Succeeded(Guid.NewGuid());
        task.Status = TaskState.Running;
        attempt.Status = AttemptState.Running;
        var violations = FleetAudit.FromRecords([task.Id], [task], [attempt]).FindViolations();
        Assert.Contains(violations, v => v.Contains("not terminal", StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_SupersededAttemptStillOpen_Reported()
    {
        var (task, second) = Succeeded(Guid.NewGuid());
        task.Attempt = 2;
        second.Attempt = 2;
        var first = Attempt(task.Id, 1, "w2", AttemptState.Dispatched);
        var violations = FleetAudit.FromRecords([task.Id], [task], [first, second]).FindViolations();
        Assert.Contains(violations, v => v.Contains("left Dispatched", StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_DecidingAttemptOnAnotherWorker_Reported()
    {
        var (task, attempt) = Succeeded(Guid.NewGuid());
        task.WorkerId = "w3";
        var violations = FleetAudit.FromRecords([task.Id], [task], [attempt]).FindViolations();
        Assert.Contains(violations, v => v.Contains("ran on w1", StringComparison.Ordinal));
    }

    private static (TaskRecord Task, TaskAttemptRecord Attempt) Succeeded(Guid id) => (
        new TaskRecord
        {
            Id = id,
            JobType = "compute.matmul",
            Payload = "{}",
            Status = TaskState.Succeeded,
            Attempt = 1,
            WorkerId = "w1",
            CreatedAt = T0,
            FinishedAt = T0.AddSeconds(1),
            Result = """{"ok":true}""",
        },
        Attempt(id, 1, "w1", AttemptState.Succeeded));

    private static TaskAttemptRecord Attempt(Guid taskId, int attempt, string workerId, AttemptState state) => new()
    {
        TaskId = taskId,
        Attempt = attempt,
        WorkerId = workerId,
        Status = state,
        DispatchedAt = T0.AddMilliseconds(attempt),
    };
}
