using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>
/// Every <see cref="TaskResultBatch"/> a dispatcher's bus started consuming (<see cref="Seen"/>, retries included) and
/// finished consuming without error (<see cref="Consumed"/>), from the moment it connected.
/// </summary>
public sealed class ResultBatchArrivals : IConsumeMessageObserver<TaskResultBatch>, IDisposable
{
    private readonly ConcurrentQueue<TaskResultBatch> _seen = new();
    private readonly ConcurrentQueue<TaskResultBatch> _consumed = new();
    private ConnectHandle? _handle;

    private ResultBatchArrivals()
    {
    }

    /// <summary>The batches whose consumption started (before the dispatcher sent any outcome of their results).</summary>
    public IReadOnlyList<TaskResultBatch> Seen => [.. _seen];

    /// <summary>The batches consumed without error.</summary>
    public IReadOnlyList<TaskResultBatch> Consumed => [.. _consumed];

    /// <summary>The most results one batch held (0 before any was seen).</summary>
    public int LargestBatch => Seen.Select(b => b.Completed.Count + b.Failed.Count).DefaultIfEmpty(0).Max();

    /// <summary>Starts watching what <paramref name="bus"/> consumes.</summary>
    public static ResultBatchArrivals Watch(IBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var arrivals = new ResultBatchArrivals();
        arrivals._handle = bus.ConnectConsumeMessageObserver(arrivals);
        return arrivals;
    }

    /// <inheritdoc />
    public Task PreConsume(ConsumeContext<TaskResultBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _seen.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PostConsume(ConsumeContext<TaskResultBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _consumed.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ConsumeFault(ConsumeContext<TaskResultBatch> context, Exception exception) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _handle?.Disconnect();
}
