namespace WorkFleet.Dashboard.Api;

/// <summary>The last <c>capacity</c> task ids added, to skip outcomes the event stream already carried. Not thread-safe.</summary>
public sealed class RecentTaskIds(int capacity)
{
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<Guid> _order = new();

    /// <summary>Adds <paramref name="taskId"/>; false when it is already among the recent ones.</summary>
    public bool Add(Guid taskId)
    {
        if (!_ids.Add(taskId))
        {
            return false;
        }

        _order.Enqueue(taskId);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }

        return true;
    }
}
