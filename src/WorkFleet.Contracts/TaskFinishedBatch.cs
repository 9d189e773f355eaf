namespace WorkFleet.Contracts;

/// <summary>
/// Several <see cref="TaskFinished"/> in one message, sent by the dispatcher to a producer's reply queue only when that
/// producer asked for batches (header <see cref="ProducerHeaders.OutcomeBatches"/> on its submits); other producers get
/// one <see cref="TaskFinished"/> per outcome. A producer that asked must accept both messages on its reply queue.
/// JSON shape (camelCase): <c>{"outcomes":[{"taskId":"…","outcome":"Succeeded","result":{…},…},…]}</c>, each element
/// shaped as a <see cref="TaskFinished"/>.
/// </summary>
public sealed record TaskFinishedBatch
{
    /// <summary>
    /// The outcomes, of different tasks of the same producer, in no promised order; each may repeat one sent before
    /// (as a single <see cref="TaskFinished"/> may).
    /// </summary>
    public IReadOnlyList<TaskFinished> Outcomes { get; init; } = [];
}
