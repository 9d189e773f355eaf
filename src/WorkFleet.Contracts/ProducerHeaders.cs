namespace WorkFleet.Contracts;

/// <summary>Message headers a producer may set on its <see cref="SubmitTask"/> messages (part of the public wire protocol).</summary>
public static class ProducerHeaders
{
    /// <summary>
    /// <c>WorkFleet-Outcome-Batches: true</c>: the producer's reply queue also accepts <see cref="TaskFinishedBatch"/>, so
    /// the dispatcher may send several outcomes in one message. Without it (producers in other languages that read only
    /// <see cref="TaskFinished"/>) every outcome comes alone. The value is the string <c>true</c> (or a boolean true).
    /// </summary>
    public const string OutcomeBatches = "WorkFleet-Outcome-Batches";
}
