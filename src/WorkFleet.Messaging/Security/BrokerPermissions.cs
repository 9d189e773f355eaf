using System.Text.RegularExpressions;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// What one broker user may do in the fleet's virtual host, as RabbitMQ's three permission patterns: a
/// resource (queue or exchange) is configurable (declare, delete), writable (publish to it, bind a queue to
/// it as destination) or readable (consume from it, bind from it) when its whole name matches the pattern.
/// </summary>
/// <param name="Configure">Names the user may declare and delete.</param>
/// <param name="Write">Names the user may publish to (exchanges) or bind into (queues).</param>
/// <param name="Read">Names the user may consume from (queues) or bind from (exchanges).</param>
public sealed record BrokerPermissions(string Configure, string Write, string Read)
{
    /// <summary>Whether <paramref name="resource"/> may be declared or deleted, as the broker decides it.</summary>
    public bool MayConfigure(string resource) => Matches(Configure, resource);

    /// <summary>Whether <paramref name="resource"/> may be published to or bound into, as the broker decides it.</summary>
    public bool MayWrite(string resource) => Matches(Write, resource);

    /// <summary>Whether <paramref name="resource"/> may be consumed from or bound from, as the broker decides it.</summary>
    public bool MayRead(string resource) => Matches(Read, resource);

    // RabbitMQ matches a permission pattern anywhere in the name (re:run); ours are all anchored with ^...$.
    private static bool Matches(string pattern, string resource) =>
        Regex.IsMatch(resource, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
