namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>A submit message that cannot even be recorded (no task id): it goes to the error queue as is.</summary>
public sealed class InvalidTaskException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidTaskException()
    {
    }

    /// <summary>Creates the exception with a message naming the problem.</summary>
    public InvalidTaskException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public InvalidTaskException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
