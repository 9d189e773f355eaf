namespace WorkFleet.Client.Configuration;

/// <summary>Producer SDK settings. Section <c>WorkFleet:Client</c>.</summary>
public sealed class ClientOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Client";

    /// <summary>
    /// Listen for <c>TaskFinished</c> events on a temporary queue so <see cref="WorkFleetClient.WaitAsync"/>
    /// works. Default true; turn off for fire-and-forget producers.
    /// </summary>
    public bool ListenForResults { get; set; } = true;

    /// <summary>How many finished outcomes to remember for waits that start after the event arrived. Default 100,000.</summary>
    public int RememberedOutcomes { get; set; } = 100_000;
}
