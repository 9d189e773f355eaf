namespace WorkFleet.Jobs;

/// <summary>
/// Thrown by a handler to say the failure is temporary (a model server is busy, a download timed
/// out) and the job should be retried.
/// </summary>
public class TransientJobException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TransientJobException()
        : base("The job failed temporarily and may be retried.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public TransientJobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying error.</param>
    public TransientJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
