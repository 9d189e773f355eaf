using System.Globalization;
using Docker.DotNet.Models;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Docker;

/// <summary>
/// How to create one more replica of a compose service from a template container: the creation parameters, and
/// the networks to attach before it starts (the engine's API 1.41 takes one network at creation).
/// </summary>
/// <param name="Create">The parameters of the create call.</param>
/// <param name="MoreNetworks">Further networks, by name, with the endpoint settings to connect with.</param>
internal sealed record ReplicaSpecification(CreateContainerParameters Create, IReadOnlyList<KeyValuePair<string, EndpointSettings>> MoreNetworks)
{
    /// <summary>The variable a worker reads its id from (<c>WorkFleet:Worker:WorkerId</c>).</summary>
    public const string WorkerIdVariable = "WorkFleet__Worker__WorkerId";

    /// <summary>
    /// A clone of <paramref name="template"/>: same image, entrypoint, command, environment, labels, host configuration
    /// and networks (with <paramref name="service"/> as alias, as compose gives), but its own name, replica number,
    /// host name (the engine's default) and worker id (its name, so heartbeats map back to the container).
    /// </summary>
    /// <param name="template">The inspected template container.</param>
    /// <param name="service">The compose service, the replica's network alias.</param>
    /// <param name="name">The new container's name.</param>
    /// <param name="number">The new replica number (label <c>com.docker.compose.container-number</c>).</param>
    /// <param name="restartPolicy">The restart policy of the service (the template's may have been turned off to release it).</param>
    public static ReplicaSpecification From(ContainerInspectResponse template, string service, string name, int number, RestartPolicy restartPolicy)
    {
        var create = new CreateContainerParameters(template.Config)
        {
            Name = name,
            Hostname = null,
            MacAddress = null,
            Env = WithWorkerId(template.Config.Env, name),
            Labels = new Dictionary<string, string>(template.Config.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
            {
                [ComposeLabels.ContainerNumber] = number.ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = template.HostConfig,
        };
        create.HostConfig.RestartPolicy = restartPolicy;
        create.HostConfig.ContainerIDFile = null;

        var networks = AttachedNetworks(template);
        if (networks.Count == 0)
        {
            return new ReplicaSpecification(create, []);
        }

        var primary = networks.Contains(template.HostConfig.NetworkMode, StringComparer.Ordinal) ? template.HostConfig.NetworkMode : networks[0];
        create.NetworkingConfig = new NetworkingConfig
        {
            EndpointsConfig = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal) { [primary] = Endpoint(primary, service) },
        };
        var more = networks
            .Where(network => !string.Equals(network, primary, StringComparison.Ordinal))
            .Select(network => KeyValuePair.Create(network, Endpoint(network, service)))
            .ToList();
        return new ReplicaSpecification(create, more);
    }

    /// <summary>
    /// The user-defined or default networks to join; none when the template shares another namespace
    /// (<c>network_mode: host</c>, <c>none</c>, <c>container:...</c>), which the copied host configuration keeps.
    /// </summary>
    private static List<string> AttachedNetworks(ContainerInspectResponse template)
    {
        var mode = template.HostConfig.NetworkMode ?? string.Empty;
        if (mode is "host" or "none" || mode.StartsWith("container:", StringComparison.Ordinal))
        {
            return [];
        }

        return template.NetworkSettings?.Networks?.Keys.Order(StringComparer.Ordinal).ToList() ?? [];
    }

    /// <summary>The service name as alias, as compose gives; the default bridge network takes no aliases.</summary>
    private static EndpointSettings Endpoint(string network, string service) =>
        network == "bridge" ? new EndpointSettings() : new EndpointSettings { Aliases = [service] };

    private static List<string> WithWorkerId(IList<string>? environment, string workerId)
    {
        var result = (environment ?? [])
            .Where(entry => !IsWorkerIdEntry(entry))
            .ToList();
        result.Add($"{WorkerIdVariable}={workerId}");
        return result;
    }

    private static bool IsWorkerIdEntry(string entry)
    {
        var name = entry.Split('=', 2)[0];
        return string.Equals(name, WorkerIdVariable, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "WorkFleet:Worker:WorkerId", StringComparison.OrdinalIgnoreCase);
    }
}
