using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Checks a submitted task before it is dispatched; every problem is named so the producer can fix it.</summary>
public sealed class SubmitTaskValidator(IOptions<DispatcherOptions> options)
{
    /// <summary>Longest accepted job type name.</summary>
    public const int MaxJobTypeLength = 200;

    /// <summary>Longest accepted per-attempt timeout.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    /// <summary>Largest accepted <see cref="SubmitTask.ExpectedCost"/>, in milliseconds at weight 1 (24 h, as <see cref="MaxTimeout"/>).</summary>
    public const double MaxExpectedCostMs = 24 * 60 * 60 * 1000;

    /// <summary>Returns the problems found (empty when valid).</summary>
    public IReadOnlyList<string> Validate(SubmitTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(task.JobType))
        {
            problems.Add("'jobType' is missing");
        }
        else if (task.JobType.Length > MaxJobTypeLength)
        {
            problems.Add($"'jobType' is longer than {MaxJobTypeLength} characters");
        }

        if (!TaskPriority.IsValid(task.Priority))
        {
            problems.Add($"'priority' {task.Priority} is outside {TaskPriority.Min}..{TaskPriority.Max}");
        }

        if (task.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimeout))
        {
            problems.Add($"'timeout' {timeout} must be positive and at most {MaxTimeout}");
        }

        if (task.ExpectedCost is { } cost && (!double.IsFinite(cost) || cost <= 0 || cost > MaxExpectedCostMs))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"'expectedCost' {cost} must be a number of milliseconds above 0 and at most {MaxExpectedCostMs}"));
        }

        if (task.RequiredCapabilities is null || task.RequiredCapabilities.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("'requiredCapabilities' contains a null or empty entry");
        }

        var payloadBytes = task.Payload.ValueKind == JsonValueKind.Undefined ? 0 : Encoding.UTF8.GetByteCount(task.Payload.GetRawText());
        if (payloadBytes > options.Value.MaxPayloadBytes)
        {
            problems.Add($"'payload' is {payloadBytes} bytes, over the limit of {options.Value.MaxPayloadBytes} bytes (WorkFleet:Dispatcher:MaxPayloadBytes)");
        }

        return problems;
    }
}
