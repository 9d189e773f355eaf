using System.Globalization;
using System.Text;
using Npgsql;
using WorkFleet.Data.Entities;
using Xunit.Sdk;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// What PostgreSQL says about a run, read once after it, and the invariants every chaos test asserts:
/// <list type="number">
/// <item>no loss: every submitted task id is in <c>tasks</c> (exactly once: it is the primary key), and nothing else is;</item>
/// <item>every task is terminal: Succeeded with a result, or, where the test allows it, Failed with an error and an error kind;</item>
/// <item>one deciding attempt: a task's current attempt row exists, ran on the task's worker and has the task's status
///   (a task never dispatched, attempt 0, has no attempts and Failed);</item>
/// <item>no second outcome: at most one attempt of a task Succeeded, and none of a Failed task;</item>
/// <item>a clean history: attempts are numbered 1..current without gaps, and none is left open (Dispatched or Running).</item>
/// </list>
/// </summary>
public sealed class FleetAudit
{
    private const int ViolationsShown = 25;

    private FleetAudit(IReadOnlyList<Guid> submitted, List<TaskRecord> tasks, List<TaskAttemptRecord> attempts, List<WorkerRecord> workers)
    {
        Submitted = submitted;
        Tasks = tasks.ToDictionary(t => t.Id);
        Attempts = attempts;
        AttemptsOf = attempts.OrderBy(a => a.Attempt).ToLookup(a => a.TaskId);
        Workers = workers;
    }

    /// <summary>The task ids the test submitted.</summary>
    public IReadOnlyList<Guid> Submitted { get; }

    /// <summary>Every row of <c>tasks</c>, by id.</summary>
    public IReadOnlyDictionary<Guid, TaskRecord> Tasks { get; }

    /// <summary>Every row of <c>task_attempts</c>.</summary>
    public IReadOnlyList<TaskAttemptRecord> Attempts { get; }

    /// <summary>The attempts of each task, in attempt order.</summary>
    public ILookup<Guid, TaskAttemptRecord> AttemptsOf { get; }

    /// <summary>Every row of <c>workers</c>.</summary>
    public IReadOnlyList<WorkerRecord> Workers { get; }

    /// <summary>An audit of given rows, e.g. to check that the audit itself catches a broken run.</summary>
    public static FleetAudit FromRecords(IEnumerable<Guid> submitted, IEnumerable<TaskRecord> tasks, IEnumerable<TaskAttemptRecord> attempts) =>
        new([.. submitted], [.. tasks], [.. attempts], []);

    /// <summary>Reads the tasks, attempts and workers of a test database.</summary>
    /// <param name="connectionString">The test database.</param>
    /// <param name="submitted">The ids of the tasks the test submitted.</param>
    public static async Task<FleetAudit> ReadAsync(string connectionString, IEnumerable<Guid> submitted)
    {
        // Plain SQL on an unpooled connection: pooled connections may be stale after a PostgreSQL
        // restart, and a cold EF Core model costs seconds on a busy machine.
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 60 }.ConnectionString;
        await using var connection = new NpgsqlConnection(unpooled);
        await connection.OpenAsync();
        var tasks = await ReadAllAsync(connection,
            "SELECT id, job_type, priority, status, attempt, worker_id, created_at, dispatched_at, next_attempt_at, finished_at, result, error, error_kind FROM tasks",
            r => new TaskRecord
            {
                Id = r.GetGuid(0),
                JobType = r.GetString(1),
                Payload = string.Empty, // not read: not needed for the audit
                Priority = r.GetInt32(2),
                Status = Enum.Parse<TaskState>(r.GetString(3)),
                Attempt = r.GetInt32(4),
                WorkerId = NullableString(r, 5),
                CreatedAt = r.GetDateTime(6),
                DispatchedAt = NullableTime(r, 7),
                NextAttemptAt = NullableTime(r, 8),
                FinishedAt = NullableTime(r, 9),
                Result = NullableString(r, 10),
                Error = NullableString(r, 11),
                ErrorKind = NullableString(r, 12),
            });
        var attempts = await ReadAllAsync(connection,
            "SELECT task_id, attempt, worker_id, status, dispatched_at, started_at, finished_at, completed_at, error, error_kind, retry_at FROM task_attempts",
            r => new TaskAttemptRecord
            {
                TaskId = r.GetGuid(0),
                Attempt = r.GetInt32(1),
                WorkerId = r.GetString(2),
                Status = Enum.Parse<AttemptState>(r.GetString(3)),
                DispatchedAt = r.GetDateTime(4),
                StartedAt = NullableTime(r, 5),
                FinishedAt = NullableTime(r, 6),
                CompletedAt = NullableTime(r, 7),
                Error = NullableString(r, 8),
                ErrorKind = NullableString(r, 9),
                RetryAt = NullableTime(r, 10),
            });
        var workers = await ReadAllAsync(connection,
            "SELECT id, queue_name, state, weight, capacity, last_heartbeat_at FROM workers",
            r => new WorkerRecord
            {
                Id = r.GetString(0),
                QueueName = r.GetString(1),
                State = r.GetString(2),
                Weight = r.GetDouble(3),
                Capacity = r.GetInt32(4),
                LastHeartbeatAt = r.GetDateTime(5),
            });
        return new FleetAudit([.. submitted], tasks, attempts, workers);
    }

    /// <summary>Every broken invariant, one line each.</summary>
    /// <param name="mayFail">Tasks allowed to end Failed (with an error); all others must Succeed. Null: none may fail.</param>
    public IReadOnlyList<string> FindViolations(IReadOnlySet<Guid>? mayFail = null)
    {
        var violations = new List<string>();
        var submitted = Submitted.ToHashSet();
        foreach (var id in Submitted.Where(id => !Tasks.ContainsKey(id)))
        {
            violations.Add($"{id}: submitted but never recorded (lost)");
        }

        foreach (var id in Tasks.Keys.Where(id => !submitted.Contains(id)))
        {
            violations.Add($"{id}: recorded but never submitted");
        }

        foreach (var task in Tasks.Values.Where(t => submitted.Contains(t.Id)).OrderBy(t => t.CreatedAt))
        {
            CheckTask(task, AttemptsOf[task.Id].ToList(), mayFail?.Contains(task.Id) == true, violations);
        }

        return violations;
    }

    /// <summary>Fails the test, with <see cref="Summary"/> and the violations, when any invariant is broken.</summary>
    /// <param name="mayFail">Tasks allowed to end Failed; null: none.</param>
    /// <param name="context">Extra text for the failure message (e.g. process logs).</param>
    public void AssertExactlyOnce(IReadOnlySet<Guid>? mayFail = null, string? context = null)
    {
        var violations = FindViolations(mayFail);
        if (violations.Count == 0)
        {
            return;
        }

        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{violations.Count} invariant violation(s); first {Math.Min(ViolationsShown, violations.Count)}:").AppendLine();
        foreach (var violation in violations.Take(ViolationsShown))
        {
            message.Append("  ").AppendLine(violation);
        }

        message.AppendLine(Summary());
        if (!string.IsNullOrEmpty(context))
        {
            message.AppendLine(context);
        }

        throw new XunitException(message.ToString());
    }

    /// <summary>
    /// Tasks that had an attempt on <paramref name="workerId"/> and were decided by a later attempt on
    /// another worker: the work rescued from it.
    /// </summary>
    public IReadOnlyList<TaskRecord> RescuedFrom(string workerId) =>
    [
        .. Tasks.Values.Where(t => t.Attempt >= 2 && t.WorkerId != workerId
            && AttemptsOf[t.Id].Any(a => a.WorkerId == workerId && a.Attempt < t.Attempt)),
    ];

    /// <summary>
    /// A readable account of the run: counts by status, error kinds, an attempts-per-task histogram,
    /// attempt states, and per-worker counts.
    /// </summary>
    public string Summary()
    {
        var text = new StringBuilder().AppendLine("=== audit of PostgreSQL ===");
        var submitted = Submitted.ToHashSet();
        text.Append(CultureInfo.InvariantCulture, $"tasks: submitted {Submitted.Count}, recorded {Tasks.Count}, ")
            .Append(CultureInfo.InvariantCulture, $"missing {Submitted.Count(id => !Tasks.ContainsKey(id))}, unexpected {Tasks.Keys.Count(id => !submitted.Contains(id))}")
            .AppendLine();
        text.Append("task status: ").AppendLine(Counts(Tasks.Values.GroupBy(t => t.Status.ToString())));
        var failed = Tasks.Values.Where(t => t.Status == TaskState.Failed).GroupBy(t => t.ErrorKind ?? "(none)").OrderByDescending(g => g.Count()).ToList();
        foreach (var kind in failed)
        {
            text.Append(CultureInfo.InvariantCulture, $"  failed {kind.Key} x{kind.Count()}, e.g. {Shorten(kind.First().Error)}").AppendLine();
        }

        text.Append("attempts per task: ").AppendLine(string.Join(", ", Tasks.Values
            .GroupBy(t => AttemptsOf[t.Id].Count())
            .OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()}"))));
        text.Append(CultureInfo.InvariantCulture, $"attempts: {Attempts.Count}; by status: ").AppendLine(Counts(Attempts.GroupBy(a => a.Status.ToString())));
        var kinds = Attempts.Where(a => a.ErrorKind is not null).GroupBy(a => a.ErrorKind!).ToList();
        if (kinds.Count > 0)
        {
            text.Append("attempt error kinds: ").AppendLine(Counts(kinds));
        }

        text.AppendLine("per worker (attempts: total = Succeeded/Failed/Abandoned/open; deciding; last heartbeat state):");
        foreach (var worker in Attempts.GroupBy(a => a.WorkerId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var record = Workers.FirstOrDefault(w => w.Id == worker.Key);
            text.Append(CultureInfo.InvariantCulture, $"  {worker.Key}: {worker.Count()} = ")
                .Append(CultureInfo.InvariantCulture, $"{worker.Count(a => a.Status == AttemptState.Succeeded)}/{worker.Count(a => a.Status == AttemptState.Failed)}/")
                .Append(CultureInfo.InvariantCulture, $"{worker.Count(a => a.Status == AttemptState.Abandoned)}/{worker.Count(a => a.Status is AttemptState.Dispatched or AttemptState.Running)}; ")
                .Append(CultureInfo.InvariantCulture, $"deciding {Tasks.Values.Count(t => t.WorkerId == worker.Key && t.Status is TaskState.Succeeded or TaskState.Failed)}; ")
                .Append(record is null ? "no workers row" : string.Create(CultureInfo.InvariantCulture, $"{record.State}, last heartbeat {record.LastHeartbeatAt:HH:mm:ss.fff}"))
                .AppendLine();
        }

        if (Tasks.Count > 0)
        {
            var first = Tasks.Values.Min(t => t.CreatedAt);
            var last = Tasks.Values.Max(t => t.FinishedAt ?? DateTime.MinValue);
            text.Append(CultureInfo.InvariantCulture, $"first recorded {first:HH:mm:ss.fff}, last finished {last:HH:mm:ss.fff} UTC ({(last - first).TotalSeconds:0.0} s)").AppendLine();
        }

        return text.ToString();
    }

    private static void CheckTask(TaskRecord task, List<TaskAttemptRecord> attempts, bool mayFail, List<string> violations)
    {
        var id = task.Id;
        switch (task.Status)
        {
            case TaskState.Succeeded when string.IsNullOrEmpty(task.Result):
                violations.Add($"{id}: Succeeded without a result");
                break;
            case TaskState.Succeeded:
                break;
            case TaskState.Failed when !mayFail:
                violations.Add($"{id}: Failed ({task.ErrorKind}: {Shorten(task.Error)}) on attempt {task.Attempt}, {task.WorkerId ?? "no worker"}; it should have succeeded");
                break;
            case TaskState.Failed when string.IsNullOrWhiteSpace(task.Error) || string.IsNullOrWhiteSpace(task.ErrorKind):
                violations.Add($"{id}: Failed without an error and error kind (error '{task.Error}', kind '{task.ErrorKind}')");
                break;
            case TaskState.Failed:
                break;
            default:
                violations.Add($"{id}: not terminal: {task.Status}, attempt {task.Attempt} on {task.WorkerId ?? "no worker"}, next attempt at {task.NextAttemptAt?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-"}");
                return; // the attempt rules below are about finished tasks
        }

        var succeeded = attempts.Count(a => a.Status == AttemptState.Succeeded);
        if (succeeded > 1)
        {
            violations.Add($"{id}: {succeeded} attempts Succeeded ({Describe(attempts)}): two outcomes");
        }

        if (task.Status == TaskState.Failed && succeeded > 0)
        {
            violations.Add($"{id}: Failed although an attempt Succeeded ({Describe(attempts)})");
        }

        if (task.Attempt == 0)
        {
            if (task.Status != TaskState.Failed || attempts.Count > 0)
            {
                violations.Add($"{id}: {task.Status} at attempt 0 with {attempts.Count} attempt row(s); only a task failed before dispatch may have none");
            }

            return;
        }

        var deciding = attempts.FirstOrDefault(a => a.Attempt == task.Attempt);
        if (deciding is null)
        {
            violations.Add($"{id}: {task.Status} on attempt {task.Attempt}, which has no task_attempts row ({Describe(attempts)})");
        }
        else
        {
            if (deciding.Status.ToString() != task.Status.ToString())
            {
                violations.Add($"{id}: task {task.Status} but its deciding attempt {task.Attempt} is {deciding.Status} ({Describe(attempts)})");
            }

            if (deciding.WorkerId != task.WorkerId)
            {
                violations.Add($"{id}: task says worker {task.WorkerId}, its attempt {task.Attempt} ran on {deciding.WorkerId}");
            }
        }

        var numbers = attempts.Select(a => a.Attempt).Order().ToList();
        if (!numbers.SequenceEqual(Enumerable.Range(1, task.Attempt)))
        {
            violations.Add($"{id}: attempt numbers [{string.Join(",", numbers)}] are not 1..{task.Attempt}");
        }

        foreach (var open in attempts.Where(a => a.Status is AttemptState.Dispatched or AttemptState.Running))
        {
            violations.Add($"{id}: attempt {open.Attempt} on {open.WorkerId} left {open.Status} although the task is {task.Status} on attempt {task.Attempt}");
        }
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTime? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDateTime(ordinal);

    private static string Describe(IEnumerable<TaskAttemptRecord> attempts) =>
        string.Join("; ", attempts.Select(a => string.Create(CultureInfo.InvariantCulture, $"#{a.Attempt} {a.WorkerId} {a.Status}{(a.ErrorKind is null ? "" : " " + a.ErrorKind)}")));

    private static string Counts(IEnumerable<IGrouping<string, object>> groups) =>
        string.Join(", ", groups.OrderByDescending(g => g.Count()).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}")));

    private static string Shorten(string? text) =>
        text is null ? "(null)" : text.Length <= 160 ? text : text[..160] + "…";
}
