using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// <c>GET /api/tasks/events</c>: server-sent events, one <c>task-finished</c> event per outcome (its id the task id,
/// its data the <see cref="TaskFinished"/> JSON), from the moment of subscribing; a <c>: keep-alive</c> comment when
/// idle for <see cref="HttpApiOptions.KeepAliveInterval"/>. A subscriber that falls behind gets a <c>dropped</c> event
/// and the stream ends; it may reconnect and read what it missed from <c>GET /api/tasks/{id}</c>.
/// </summary>
public sealed class TaskEventStream(TaskOutcomeHub hub, HttpApiOptions options, IOptions<JsonOptions> json)
{
    /// <summary>The content type of the stream.</summary>
    public const string ContentType = "text/event-stream";

    /// <summary>The event type of an outcome.</summary>
    public const string FinishedEvent = "task-finished";

    /// <summary>Streams outcomes to <paramref name="context"/>'s response until the client leaves or is dropped.</summary>
    public async Task RunAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.RequestAborted;
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var subscription = hub.Subscribe(context.User.Identity?.Name ?? "anonymous");
        try
        {
            // Sent at once, so the client knows it is subscribed: every outcome recorded from now on will follow.
            await WriteAsync(response, ": subscribed\n\n", cancellationToken);
            while (true)
            {
                var more = await NextAsync(subscription, cancellationToken);
                if (more is null)
                {
                    await WriteAsync(response, ": keep-alive\n\n", cancellationToken);
                    continue;
                }

                if (more is false)
                {
                    if (subscription.Dropped)
                    {
                        await WriteAsync(response, $"event: dropped\ndata: {{\"bufferSize\":{subscription.Capacity}}}\n\n", cancellationToken);
                    }

                    return;
                }

                while (subscription.Outcomes.TryRead(out var outcome))
                {
                    await response.WriteAsync($"id: {outcome.TaskId}\nevent: {FinishedEvent}\ndata: {JsonSerializer.Serialize(outcome, json.Value.SerializerOptions)}\n\n", cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left.
        }
    }

    /// <summary>True when outcomes are ready, false when the subscription ended, null when idle for the keep-alive interval.</summary>
    private async Task<bool?> NextAsync(OutcomeSubscription subscription, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(options.KeepAliveInterval);
        try
        {
            return await subscription.Outcomes.WaitToReadAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
