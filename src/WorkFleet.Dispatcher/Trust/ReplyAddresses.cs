using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// Which reply addresses the dispatcher sends outcomes to: only a producer's reply queue
/// (<see cref="QueueNames.ClientPrefix"/>, one dot-free part after the user's prefix), and when sender identity is
/// required, only one of the user that submitted the task (<see cref="QueueNames.ClientPrefixFor"/>). Only the queue's
/// name is kept: the outcome is sent to the queue of that name on the dispatcher's own broker, whatever host, virtual
/// host or options the address named, so a producer cannot aim outcomes at a worker's queue or bind anything. Pure.
/// </summary>
public static class ReplyAddresses
{
    /// <summary>The longest reply queue name accepted (RabbitMQ's limit on names is 255 bytes).</summary>
    public const int MaxLength = 255;

    /// <summary>The queue name an address ends with (<c>rabbitmq://host/vhost/NAME?…</c>, <c>queue:NAME</c>), or null.</summary>
    public static string? QueueOf(Uri? address)
    {
        if (address is null)
        {
            return null;
        }

        var path = address.IsAbsoluteUri ? address.AbsolutePath : address.OriginalString;
        var name = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
        return name.Length == 0 ? null : name;
    }

    /// <summary>
    /// Why the dispatcher must not send outcomes to <paramref name="queue"/> for a task submitted by
    /// <paramref name="submittedBy"/>; null when it may.
    /// </summary>
    /// <param name="queue">The reply queue's name.</param>
    /// <param name="submittedBy">The broker-validated user that submitted the task, or null when unknown.</param>
    /// <param name="identityRequired">Whether the queue must belong to <paramref name="submittedBy"/> (RabbitMQ with RequireSenderIdentity).</param>
    public static string? Problem(string queue, string? submittedBy, bool identityRequired)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (queue.Length > MaxLength || !queue.StartsWith(QueueNames.ClientPrefix, StringComparison.Ordinal))
        {
            return $"'{Shorten(queue)}' is not a reply queue (they start with {QueueNames.ClientPrefix})";
        }

        var owner = queue.AsSpan(QueueNames.ClientPrefix.Length);
        var dot = owner.IndexOf('.');
        if (dot <= 0 || !IsNamePart(owner[..dot]) || !IsNamePart(owner[(dot + 1)..]))
        {
            return $"'{queue}' is not a reply queue ({QueueNames.ClientPrefix}{{user}}.{{instance}}, each of letters, digits, - and _)";
        }

        if (!identityRequired)
        {
            return null;
        }

        if (submittedBy is null)
        {
            return "the submit carries no broker-validated user-id, so no reply queue can be its own";
        }

        return queue.StartsWith(QueueNames.ClientPrefixFor(submittedBy), StringComparison.Ordinal)
            ? null
            : $"'{queue}' is not a reply queue of broker user '{submittedBy}' (they start with {QueueNames.ClientPrefixFor(submittedBy)})";
    }

    private static bool IsNamePart(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
