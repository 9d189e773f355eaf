using System.Text.RegularExpressions;
using RabbitMQ.Client.Exceptions;

namespace WorkFleet.Messaging.Hosting;

/// <summary>
/// What the broker refused this process, read from the exception RabbitMQ.Client raised: a login refused
/// (wrong password or unknown user), or an operation on a resource the user has no permission for (ACCESS_REFUSED,
/// whose text names the resource and the user). Neither is cured by retrying, unlike a broker that is unreachable.
/// </summary>
/// <param name="User">The broker user refused.</param>
/// <param name="Resource">What was refused, e.g. <c>queue 'workfleet.submit' in vhost '/'</c>; null for a refused login.</param>
/// <param name="Operation">The AMQP operation and the permission it needs, e.g. <c>queue.declare (configure)</c>; null when unknown.</param>
/// <param name="BrokerText">The broker's own words (its reply text).</param>
public sealed partial record BrokerRefusal(string User, string? Resource, string? Operation, string BrokerText)
{
    private const ushort AccessRefused = 403;
    private const ushort NotAllowed = 530;

    /// <summary>Whether the broker refused the login itself (no resource involved).</summary>
    public bool IsLogin => Resource is null;

    /// <summary>
    /// The refusal carried by <paramref name="exception"/> or any exception inside it, or null when it carries none
    /// (e.g. the broker is unreachable). <paramref name="username"/> names the user when the broker's text does not.
    /// </summary>
    public static BrokerRefusal? Find(Exception? exception, string username)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationFailureException)
            {
                return new BrokerRefusal(username, null, null, current.Message);
            }

            if (current is OperationInterruptedException { ShutdownReason: { ReplyCode: AccessRefused or NotAllowed } reason })
            {
                return FromReply(reason.ReplyText, reason.ClassId, reason.MethodId, username);
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find(inner, username) is { } refusal)
                    {
                        return refusal;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>A refusal from the broker's reply text and the AMQP method (class and method id) it answered.</summary>
    public static BrokerRefusal FromReply(string replyText, ushort classId, ushort methodId, string username)
    {
        ArgumentNullException.ThrowIfNull(replyText);
        var match = AccessText().Match(replyText);
        if (!match.Success)
        {
            return new BrokerRefusal(username, "(not named by the broker)", Method(classId, methodId, kind: null, permission: null), replyText);
        }

        var kind = match.Groups["kind"].Value;
        var resource = match.Groups["name"].Success
            ? $"{kind} '{match.Groups["name"].Value}' in vhost '{match.Groups["vhost"].Value}'"
            : $"vhost '{match.Groups["vhost"].Value}'";
        var permission = match.Groups["permission"].Success ? match.Groups["permission"].Value : null;
        return new BrokerRefusal(match.Groups["user"].Value, resource, Method(classId, methodId, kind, permission), replyText);
    }

    // The permission RabbitMQ checks for each method (see its access control guide).
    private static string? Method(ushort classId, ushort methodId, string? kind, string? permission)
    {
        var (name, needs) = (classId, methodId) switch
        {
            (10, 40) => ("connection.open", "access to the vhost"),
            (40, 10) => ("exchange.declare", "configure"),
            (40, 20) => ("exchange.delete", "configure"),
            (40, 30) or (40, 40) => ("exchange.bind", kind == "exchange" ? "write on the destination, read on the source" : "write"),
            (50, 10) => ("queue.declare", "configure"),
            (50, 20) or (50, 50) => (methodId == 20 ? "queue.bind" : "queue.unbind", kind == "queue" ? "write" : "read"),
            (50, 30) => ("queue.purge", "read"),
            (50, 40) => ("queue.delete", "configure"),
            (60, 20) => ("basic.consume", "read"),
            (60, 40) => ("basic.publish", "write"),
            (60, 70) => ("basic.get", "read"),
            _ => (null, null),
        };
        return name is null ? permission : $"{name} ({permission ?? needs})";
    }

    [GeneratedRegex(@"(?:(?<permission>configure|write|read) )?access to (?:(?<kind>queue|exchange|topic) '(?<name>[^']*)' in )?vhost '(?<vhost>[^']*)' refused for user '(?<user>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex AccessText();
}
