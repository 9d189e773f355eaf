using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Turns the body of <c>POST /api/tasks</c> (one task object, or an array of them) into <see cref="SubmitTask"/>s,
/// naming every bad field. The shape is the contract's JSON (camelCase); <c>taskId</c> and <c>submittedAt</c> may be
/// left out (a new id, now). The HTTP API's own rules are about JSON types (a <c>payload</c> is an object, a
/// <c>priority</c> a whole number, no unknown fields) and the batch size; the rules of a task are the dispatcher's
/// <see cref="SubmitTaskValidator"/>, applied here so that a bad task is refused before it is sent.
/// </summary>
public sealed class TaskRequestReader(SubmitTaskValidator validator, IOptions<DispatcherOptions> dispatcher, HttpApiOptions api, TimeProvider clock)
{
    private static readonly string[] Fields = ["taskId", "jobType", "payload", "priority", "requiredCapabilities", "timeout", "expectedCost", "submittedAt"];

    /// <summary>The tasks of <paramref name="body"/> (in its order), or none with the problems in <paramref name="errors"/>.</summary>
    public IReadOnlyList<SubmitTask> Read(ReadOnlyMemory<byte> body, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            errors.Add("$", $"The body is not JSON: {e.Message}");
            return [];
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return ReadTask(root, "", errors) is { } task && errors.IsEmpty ? [task] : [];
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                errors.Add("$", "The body must be a task (a JSON object) or a batch of them (a JSON array).");
                return [];
            }

            var count = root.GetArrayLength();
            if (count == 0 || count > api.MaxBatchSize)
            {
                errors.Add("$", count == 0
                    ? "The batch is empty."
                    : string.Create(CultureInfo.InvariantCulture, $"The batch has {count} tasks, over the limit of {api.MaxBatchSize} ({HttpApiOptions.SectionName}:MaxBatchSize)."));
                return [];
            }

            var tasks = new List<SubmitTask>(count);
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (ReadTask(item, string.Create(CultureInfo.InvariantCulture, $"[{index++}]."), errors) is { } task)
                {
                    tasks.Add(task);
                }
            }

            return errors.IsEmpty ? tasks : [];
        }
    }

    /// <summary>
    /// The task of <c>POST /api/predict/{jobType}</c>, whose body is the job's input (a JSON object), or null with the
    /// problems in <paramref name="errors"/>.
    /// </summary>
    /// <param name="jobType">The job type from the route.</param>
    /// <param name="body">The job's input.</param>
    /// <param name="errors">Where problems are named.</param>
    /// <param name="expectedCost">The <c>?expectedCost=</c> query value (ms at weight 1), or null when absent.</param>
    public SubmitTask? ReadPrediction(string jobType, ReadOnlyMemory<byte> body, FieldErrors errors, string? expectedCost = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        JsonElement payload;
        try
        {
            using var document = JsonDocument.Parse(body);
            payload = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            errors.Add("payload", $"The body (the job's input) is not JSON: {e.Message}");
            return null;
        }

        if (payload.ValueKind != JsonValueKind.Object)
        {
            errors.Add("payload", "The body (the job's input) must be a JSON object.");
            return null;
        }

        double? cost = null;
        if (expectedCost is not null)
        {
            if (double.TryParse(expectedCost, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                cost = parsed;
            }
            else
            {
                errors.Add("expectedCost", "'expectedCost' must be a number of milliseconds (at weight 1).");
                return null;
            }
        }

        var task = new SubmitTask { TaskId = Guid.NewGuid(), JobType = jobType, Payload = payload, ExpectedCost = cost, SubmittedAt = clock.GetUtcNow() };
        Check(task, "", errors);
        return errors.IsEmpty ? task : null;
    }

    /// <summary>Adds the dispatcher's problems with <paramref name="task"/> to <paramref name="errors"/>, each under its field.</summary>
    public void Check(SubmitTask task, string prefix, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(errors);
        var payloadTooLarge = task.Payload.ValueKind != JsonValueKind.Undefined
            && Encoding.UTF8.GetByteCount(task.Payload.GetRawText()) > dispatcher.Value.MaxPayloadBytes;
        foreach (var problem in validator.Validate(task))
        {
            var field = SubmitProblemFields.FieldOf(problem) ?? "$";
            if (errors.Has(prefix + field))
            {
                // Already named for its JSON type (a jobType that is not a string is also "missing" to the validator).
                continue;
            }

            if (field == "payload" && payloadTooLarge)
            {
                errors.AddTooLarge(prefix + field, problem);
            }
            else
            {
                errors.Add(prefix + field, problem);
            }
        }
    }

    private SubmitTask? ReadTask(JsonElement item, string prefix, FieldErrors errors)
    {
        var self = prefix.Length == 0 ? "$" : prefix.TrimEnd('.');
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(self, "A task must be a JSON object.");
            return null;
        }

        var size = Encoding.UTF8.GetByteCount(item.GetRawText());
        if (size > dispatcher.Value.MaxSubmitBytes)
        {
            errors.AddTooLarge(self, string.Create(CultureInfo.InvariantCulture,
                $"The task is {size} bytes, over the submit message limit of {dispatcher.Value.MaxSubmitBytes} bytes ({DispatcherOptions.SectionName}:MaxSubmitBytes)."));
            return null;
        }

        foreach (var property in item.EnumerateObject().Where(p => !Fields.Contains(p.Name, StringComparer.Ordinal)))
        {
            errors.Add(prefix + property.Name, $"'{property.Name}' is not a field of a task (fields: {string.Join(", ", Fields)}).");
        }

        if (!item.TryGetProperty("payload", out _))
        {
            errors.Add(prefix + "payload", "'payload' is missing (the job's input, a JSON object).");
        }

        var task = new SubmitTask
        {
            TaskId = Field(item, "taskId", prefix, errors, Guid.NewGuid(), TaskId, "must be a UUID other than all zeros (e.g. \"3f2b8c1e-7d4a-4b7e-9a51-2c6f0e8d9b13\")"),
            JobType = Field(item, "jobType", prefix, errors, "", v => (v.ValueKind == JsonValueKind.String, v.ValueKind == JsonValueKind.String ? v.GetString()! : ""), "must be a string"),
            Payload = Field(item, "payload", prefix, errors, JsonNull.Value, v => (v.ValueKind == JsonValueKind.Object, v.Clone()), "must be a JSON object (the job's input)"),
            Priority = Field(item, "priority", prefix, errors, TaskPriority.Min, Priority,
                $"must be a whole number within {TaskPriority.Min}..{TaskPriority.Max}"),
            RequiredCapabilities = Field(item, "requiredCapabilities", prefix, errors, [], Capabilities, "must be an array of capability names (strings)"),
            Timeout = Field(item, "timeout", prefix, errors, null, Timeout, "must be a duration such as \"30s\" or \"00:00:30\" (or a number of seconds)"),
            ExpectedCost = Field(item, "expectedCost", prefix, errors, null, ExpectedCost, "must be a number of milliseconds (at weight 1)"),
            SubmittedAt = Field(item, "submittedAt", prefix, errors, clock.GetUtcNow(), SubmittedAt,
                "must be an ISO 8601 date and time"),
        };

        Check(task, prefix, errors);
        return errors.IsEmpty ? task : null;
    }

    // The value of field name, or absent when it is missing; a value read refuses is named in errors (and absent returned).
    private static T Field<T>(JsonElement item, string name, string prefix, FieldErrors errors, T absent, Func<JsonElement, (bool Ok, T Value)> read, string requirement)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return absent;
        }

        var (ok, parsed) = read(value);
        if (ok)
        {
            return parsed;
        }

        errors.Add(prefix + name, $"'{name}' {requirement}.");
        return absent;
    }

    private static (bool, int) Priority(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var priority) ? (true, priority) : (false, 0);

    private static (bool, DateTimeOffset) SubmittedAt(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at) ? (true, at) : (false, default);

    private static (bool, Guid) TaskId(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) && id != Guid.Empty ? (true, id) : (false, Guid.Empty);

    private static (bool, IReadOnlyList<string>) Capabilities(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(c => c.ValueKind == JsonValueKind.String)
            ? (true, [.. value.EnumerateArray().Select(c => c.GetString()!)])
            : (false, []);

    private static (bool, double?) ExpectedCost(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => (true, null),
        JsonValueKind.Number when value.TryGetDouble(out var cost) => (true, cost),
        _ => (false, null),
    };

    private static (bool, TimeSpan?) Timeout(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when DurationText.Parse(value.GetString()) is { } span => (true, span),
        JsonValueKind.Number when value.TryGetDouble(out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds => (true, TimeSpan.FromSeconds(seconds)),
        _ => (false, null),
    };
}
