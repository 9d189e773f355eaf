using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class WaitingQueueTests
{
    [Fact]
    public void Enumerate_ShortestFirst_OrdersByDueTimeWithinAPriority()
    {
        var queue = new WaitingQueue<string>(new AgingRule());
        queue.Enqueue("long", 0, arrivalMs: 0, expectedCostMs: 500);
        queue.Enqueue("short-later", 0, arrivalMs: 100, expectedCostMs: 10);
        queue.Enqueue("unknown", 0, arrivalMs: 200, expectedCostMs: null);

        Assert.Equal(["short-later", "unknown", "long"], Items(queue));
    }

    [Fact]
    public void Enumerate_HigherPriority_ComesFirstWhateverItsCost()
    {
        var queue = new WaitingQueue<string>(new AgingRule());
        queue.Enqueue("cheap", 0, 0, 1);
        queue.Enqueue("urgent-and-long", 5, 0, 10_000);

        Assert.Equal(["urgent-and-long", "cheap"], Items(queue));
    }

    [Fact]
    public void Enumerate_Fifo_OrdersByArrival()
    {
        var queue = new WaitingQueue<string>(new AgingRule { Order = WaitingOrder.Fifo });
        queue.Enqueue("long", 0, 0, 500);
        queue.Enqueue("short", 0, 100, 10);

        Assert.Equal(["long", "short"], Items(queue));
    }

    [Fact]
    public void Remove_AnEnqueuedTask_LeavesTheOthers()
    {
        var queue = new WaitingQueue<string>(new AgingRule());
        var a = queue.Enqueue("a", 0, 0, 1);
        queue.Enqueue("b", 0, 0, 1);

        Assert.True(queue.Remove(a));
        Assert.Equal(["b"], Items(queue));
    }

    private static List<string> Items(WaitingQueue<string> queue)
    {
        var items = new List<string>();
        foreach (var task in queue)
        {
            items.Add(task.Item);
        }

        return items;
    }
}
