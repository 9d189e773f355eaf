namespace WorkFleet.Contracts;

/// <summary>
/// Event among dispatchers, about once a second: this dispatcher is up. A dispatcher that hears no other sends
/// no <see cref="AttemptAssigned"/> or <see cref="AttemptEnded"/>, which only other dispatchers need; one that
/// hears a new peer announces its outstanding attempts to it.
/// </summary>
public sealed record DispatcherHeartbeat
{
    /// <summary>The dispatcher that is up.</summary>
    public required string DispatcherId { get; init; }

    /// <summary>When it was sent.</summary>
    public required DateTimeOffset SentAt { get; init; }
}
