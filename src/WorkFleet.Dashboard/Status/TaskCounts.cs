using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Data;

namespace WorkFleet.Dashboard.Status;

/// <summary>
/// Stored tasks per status, read at most once per <see cref="DashboardOptions.TaskCountsMaxAge"/>: a dashboard
/// polling every second, in several browser tabs, costs the database one grouped count per interval.
/// </summary>
public sealed class TaskCounts(IDbContextFactory<WorkFleetDbContext> contexts, DashboardOptions options, TimeProvider clock, ILogger<TaskCounts> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTimeOffset At, IReadOnlyDictionary<string, int>? Counts, string? Error)? _last;

    /// <summary>Counts per status name, or the error that kept the store from answering.</summary>
    public async Task<(IReadOnlyDictionary<string, int>? Counts, string? Error)> ReadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            if (_last is { } last && now - last.At < options.TaskCountsMaxAge)
            {
                return (last.Counts, last.Error);
            }

            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var rows = await db.Tasks.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
                _last = (now, rows.ToDictionary(r => r.Key.ToString(), r => r.Count, StringComparer.Ordinal), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Dashboard could not count tasks: {Error}", ex.Message);
                _last = (now, null, $"the task store did not answer: {ex.Message}");
            }

            return (_last.Value.Counts, _last.Value.Error);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
