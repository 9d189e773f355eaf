namespace WorkFleet.Jobs;

/// <summary>One task's input prepared by <see cref="IBatchJobHandler.Prepare"/>, ready to join a batch.</summary>
public sealed class BatchJobItem
{
    internal BatchJobItem(IBatchJobHandler owner, string batchKey, object input)
    {
        Owner = owner;
        BatchKey = batchKey;
        Input = input;
    }

    /// <summary>The job type of the handler that prepared it.</summary>
    public string JobType => Owner.JobType;

    /// <summary>Items with equal keys (ordinal) of the same job type may run in one batch, e.g. the model name.</summary>
    public string BatchKey { get; }

    internal IBatchJobHandler Owner { get; }

    internal object Input { get; }
}
