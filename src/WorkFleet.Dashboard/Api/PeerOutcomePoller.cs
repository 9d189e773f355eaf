using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Data;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Feeds the event streams the outcomes other dispatchers record: while a stream is subscribed and another dispatcher
/// is up (<see cref="PeerDispatchers"/>), reads the tasks finished since the last pass from the store every
/// <see cref="HttpApiOptions.StorePollInterval"/>. Each pass looks <see cref="Lookback"/> further back than the newest
/// outcome seen, for rows committed late; <see cref="TaskOutcomeHub"/> skips the outcomes the streams already carried.
/// </summary>
public sealed partial class PeerOutcomePoller(
    TaskOutcomeHub hub, PeerDispatchers peers, IDbContextFactory<WorkFleetDbContext> contexts, HttpApiOptions options, TimeProvider clock, ILogger<PeerOutcomePoller> logger)
    : BackgroundService
{
    /// <summary>How far before the newest outcome seen a pass starts reading.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromSeconds(5);

    private const int PageSize = 1000;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = clock.GetUtcNow().UtcDateTime;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.StorePollInterval, clock, stoppingToken);
                since = hub.HasSubscribers && peers.Any ? await PassAsync(since, stoppingToken) : clock.GetUtcNow().UtcDateTime;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException or System.Data.Common.DbException)
            {
                LogPassFailed(e);
            }
        }
    }

    private async Task<DateTime> PassAsync(DateTime since, CancellationToken cancellationToken)
    {
        var from = since - Lookback;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var finished = await db.Tasks.AsNoTracking()
            .Where(t => t.FinishedAt > from)
            .OrderBy(t => t.FinishedAt)
            .Decided()
            .Take(PageSize)
            .ToListAsync(cancellationToken);
        foreach (var task in finished)
        {
            hub.Stream(TaskFinishedFactory.Stored(task));
        }

        var newest = finished.Count > 0 ? finished[^1].FinishedAt!.Value : since;
        return newest > since ? newest : since;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading other dispatchers' outcomes for the event streams failed; retrying")]
    private partial void LogPassFailed(Exception exception);
}
