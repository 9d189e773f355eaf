namespace WorkFleet.Simulation.Engine;

/// <summary>
/// The late-binding ideal: one global FIFO that every worker pulls from the moment it has a free slot, with
/// perfect, instant knowledge. An arriving task that finds free slots takes the fastest of them (among equally
/// fast ones, the one free the longest), since under the model a task runs at its worker's full speed
/// whatever else runs there.
/// </summary>
internal sealed class SharedQueueRun : FleetRun
{
    private readonly Queue<int> _waiting = new();

    // Workers with at least one free slot, fastest first, then longest free first; a worker is in it iff free.
    private readonly PriorityQueue<int, (double NegativeSpeed, long FreeSince)> _free;
    private readonly bool[] _isFree;
    private long _freeSequence;

    public SharedQueueRun(SimulationWorkload workload)
        : base(workload)
    {
        _free = new PriorityQueue<int, (double, long)>(Workers.Length);
        _isFree = new bool[Workers.Length];
        for (var i = 0; i < Workers.Length; i++)
        {
            MarkFree(i);
        }
    }

    protected override void OnArrival(int task)
    {
        if (!_free.TryPeek(out var worker, out _))
        {
            _waiting.Enqueue(task);
            return;
        }

        SendToWorker(worker, task);
        if (!Workers[worker].HasFreeSlot)
        {
            _free.Dequeue();
            _isFree[worker] = false;
        }
    }

    protected override void OnCompleted(int worker, int task)
    {
        if (_waiting.TryDequeue(out var next))
        {
            SendToWorker(worker, next);
        }
        else if (!_isFree[worker])
        {
            MarkFree(worker);
        }
    }

    private void MarkFree(int worker)
    {
        _isFree[worker] = true;
        _free.Enqueue(worker, (-Workers[worker].Speed, _freeSequence++));
    }
}
