namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// A submit message over <c>WorkFleet:Dispatcher:MaxSubmitBytes</c> with no task id to record it under: it goes to
/// the submit queue's error queue, where its message is the reason an operator reads.
/// </summary>
public sealed class SubmitTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SubmitTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message naming the size and the limit.</summary>
    public SubmitTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public SubmitTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
