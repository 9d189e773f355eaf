namespace WorkFleet.Balancing;

/// <summary>Why a selection did or did not produce a worker.</summary>
public enum SelectionOutcome
{
    /// <summary>A worker was chosen.</summary>
    Selected,

    /// <summary>Some live worker can run the task but none has a free slot now: wait.</summary>
    NoFreeSlot,

    /// <summary>Live workers exist but none (that is not draining) supports the job type and capabilities.</summary>
    NoCapableWorker,

    /// <summary>No live, non-draining worker at all (an empty or starting fleet): wait.</summary>
    NoLiveWorker,
}
