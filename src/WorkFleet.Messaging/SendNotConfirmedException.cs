namespace WorkFleet.Messaging;

/// <summary>A send the broker did not take within its deadline (<see cref="BrokerConfirmation"/>); it counts as not sent.</summary>
public sealed class SendNotConfirmedException : TimeoutException
{
    /// <summary>Creates the exception for a send that waited <paramref name="deadline"/>.</summary>
    public SendNotConfirmedException(TimeSpan deadline)
        : base($"The broker did not confirm the message within {deadline.TotalSeconds:0.#} s (WorkFleet:Transport:RabbitMq:ConfirmTimeout); it counts as not sent.")
    {
        Deadline = deadline;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public SendNotConfirmedException()
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public SendNotConfirmedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause of its own.</summary>
    public SendNotConfirmedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long the send waited.</summary>
    public TimeSpan Deadline { get; }
}
