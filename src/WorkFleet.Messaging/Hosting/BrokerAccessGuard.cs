using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Messaging.Hosting;

/// <summary>
/// Stops the host when the broker refuses its user: a wrong password, or a user without a right the host's role needs
/// (e.g. a worker started with the producer's user). MassTransit retries a refused declare or consume for ever, and
/// with <c>WaitUntilStarted</c> the host would hang at start; nothing but a different user or different permissions
/// cures it. The first refusal is logged once, as a critical line naming the user, the resource, the operation and the
/// role needed, and the host is asked to stop; <see cref="HostRunExtensions.RunWorkFleetHostAsync"/> then ends the
/// process with <see cref="ExitCode"/>.
/// </summary>
public sealed class BrokerAccessGuard(
    TransportOptions transport,
    IEnumerable<HostBrokerRole> roles,
    IHostApplicationLifetime lifetime,
    ILogger<BrokerAccessGuard> logger) : IReceiveEndpointObserver
{
    /// <summary>The process exit code when the broker refused this host's user (EX_CONFIG: a configuration error).</summary>
    public const int ExitCode = 78;

    private readonly TaskCompletionSource<BrokerRefusal> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string[] _roles = [.. roles.Select(r => r.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>Completes with the first refusal seen; never completes while the broker accepts the user.</summary>
    public Task<BrokerRefusal> Refused => _refused.Task;

    /// <summary>
    /// When <paramref name="exception"/> carries a broker refusal, reports it (once: logs it and stops the host) and
    /// returns true; otherwise false.
    /// </summary>
    public bool TryReport(Exception exception)
    {
        if (BrokerRefusal.Find(exception, transport.RabbitMq.Username) is not { } refusal)
        {
            return false;
        }

        if (_refused.TrySetResult(refusal))
        {
            logger.LogCritical(
                "The broker refused user '{User}': {What}. {Needs} Stopping with exit code {ExitCode}. Broker said: {BrokerText}",
                refusal.User, Describe(refusal), Needs(refusal), ExitCode, refusal.BrokerText);
            lifetime.StopApplication();
        }

        return true;
    }

    /// <inheritdoc />
    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        ArgumentNullException.ThrowIfNull(faulted);
        if (faulted.Exception is { } exception)
        {
            TryReport(exception);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Ready(ReceiveEndpointReady ready) => Task.CompletedTask;

    /// <inheritdoc />
    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    /// <inheritdoc />
    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private static string Describe(BrokerRefusal refusal) => refusal.IsLogin
        ? "login refused (wrong password, or no such user): check WorkFleet:Transport:RabbitMq:Username and Password (or Password_FILE)"
        : $"{refusal.Operation ?? "an operation"} on {refusal.Resource} refused (ACCESS_REFUSED)";

    private string Needs(BrokerRefusal refusal)
    {
        if (_roles.Length == 0)
        {
            return "Give this host a user with the permissions it needs.";
        }

        if (refusal.IsLogin)
        {
            return $"This host connects as the user of role '{string.Join("' and '", _roles)}'.";
        }

        var needs = string.Join("; ", _roles.Select(role => BrokerRoles.All.TryGetValue(role, out var permissionsOf) && permissionsOf(refusal.User) is var p
            ? $"role '{role}' (configure {p.Configure}, write {p.Write}, read {p.Read})"
            : $"role '{role}'"));
        return $"This host needs a broker user with the permissions of {needs}, as `workfleet broker-definitions` provisions it.";
    }
}
