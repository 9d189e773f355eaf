namespace WorkFleet.Balancing.CostAware;

/// <summary>How waiting tasks of one priority are ordered (see <see cref="AgingRule"/>).</summary>
public enum WaitingOrder
{
    /// <summary>Shortest expected cost first, with aging: by due time a + min(A · ê, H).</summary>
    ShortestCostFirst,

    /// <summary>By arrival (first in, first out); due times still bound how long a task may be held for a fast worker.</summary>
    Fifo,
}
