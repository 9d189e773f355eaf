namespace WorkFleet.Jobs;

/// <summary>
/// The job's input is invalid (malformed JSON shape, a missing field, a value out of range). The
/// message names the job type, the field and the problem. Not retryable: the same input fails again.
/// </summary>
public class JobInputException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public JobInputException()
        : base("The job input is invalid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the field.</param>
    public JobInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the field.</param>
    /// <param name="innerException">The underlying error, e.g. a <see cref="System.Text.Json.JsonException"/>.</param>
    public JobInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
