using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Docker;

/// <summary>
/// Scales the worker service of a compose project through the Docker Engine API. The workers are the containers
/// labelled with the project and service; new ones are clones of a running one (or of the stopped last one), named
/// and numbered as compose would name them, so <c>docker compose ps</c> lists them and <c>docker compose down</c>
/// removes them.
/// </summary>
/// <remarks>
/// Release turns a container's restart policy off, so a worker that exits after draining stays down under
/// <c>restart: unless-stopped</c>; the executor remembers released containers (in memory) so they no longer count.
/// Remove deletes them, except the last container of the service, which is stopped instead and kept as the
/// template from which a fleet scaled to zero is woken.
/// </remarks>
public sealed class DockerFleetExecutor : IFleetExecutor, IDisposable
{
    private const string ProjectSetting = "WorkFleet:Autoscaler:Docker:Project";
    private const string ServiceSetting = "WorkFleet:Autoscaler:Docker:Service";
    private const int MaxNameAttempts = 100;

    private readonly DockerEngine _engine;
    private readonly string _endpoint;
    private readonly string _project;
    private readonly string _service;
    private readonly ILogger _logger;

    /// <summary>Released containers by id, with the restart policy they had before, to restore on the one kept.</summary>
    private readonly ConcurrentDictionary<string, RestartPolicy> _released = new(StringComparer.Ordinal);

    private DockerFleetExecutor(DockerEngine engine, string endpoint, string project, string service, ILogger logger)
    {
        _engine = engine;
        _endpoint = endpoint;
        _project = project;
        _service = service;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => ExecutorNames.Docker;

    /// <summary>
    /// Creates the executor from its settings (no call to the engine yet: an engine that is down is reported by the
    /// first operation, which the autoscaler retries).
    /// </summary>
    /// <param name="options">Section <c>WorkFleet:Autoscaler:Docker</c> (<see cref="AutoscalerOptions.Docker"/>).</param>
    /// <param name="logger">Where started, released, removed and unknown workers are logged.</param>
    /// <exception cref="ExecutorException">A setting is missing or malformed; the message names it.</exception>
    public static DockerFleetExecutor Create(DockerExecutorOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.Project))
        {
            throw new ExecutorException(
                $"{ProjectSetting} is not set: the docker executor needs the compose project whose workers it scales. Set it "
                + "to the project name (`docker compose ls` shows it; by default the directory of docker-compose.yml).");
        }

        if (string.IsNullOrWhiteSpace(options.Service))
        {
            throw new ExecutorException($"{ServiceSetting} is empty: set it to the compose service of the workers (default worker).");
        }

        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint))
        {
            throw new ExecutorException(
                $"WorkFleet:Autoscaler:Docker:Endpoint '{options.Endpoint}' is not an address: use e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375.");
        }

        using var configuration = new DockerClientConfiguration(endpoint);
        var engine = new DockerEngine(configuration.CreateClient(), options.Endpoint);
        return new DockerFleetExecutor(engine, options.Endpoint, options.Project.Trim(), options.Service.Trim(), logger);
    }

    /// <inheritdoc />
    public async Task<int?> CountAsync(CancellationToken cancellationToken)
    {
        var containers = await ListServiceAsync(cancellationToken);
        return containers.Count(container => IsActive(container) && !_released.ContainsKey(container.ID));
    }

    /// <inheritdoc />
    public async Task AddAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var containers = await ListServiceAsync(cancellationToken);
        var template = PickTemplate(containers);
        var added = 0;
        if (!IsActive(template))
        {
            // Scaled to zero: the kept container is woken first, so the fleet reuses its name and number.
            await RestoreRestartPolicyAsync(template.ID, cancellationToken);
            await _engine.StartAsync(template.ID, cancellationToken);
            _logger.LogInformation("Docker executor started the stopped worker container {Container}", ContainerName(template));
            added++;
        }

        if (added == count)
        {
            return;
        }

        var restartPolicy = _released.TryGetValue(template.ID, out var original)
            ? original
            : (await _engine.InspectAsync(template.ID, cancellationToken)).HostConfig.RestartPolicy;
        var usedNumbers = containers.Select(c => ComposeLabels.Number(c.Labels)).OfType<int>().ToHashSet();
        for (; added < count; added++)
        {
            var (id, name) = await CreateReplicaAsync(template.ID, restartPolicy, usedNumbers, cancellationToken);
            try
            {
                await _engine.StartAsync(id, cancellationToken);
            }
            catch
            {
                // A container left in state "created" would be counted as a worker starting, forever.
                await _engine.RemoveAsync(id, CancellationToken.None);
                throw;
            }

            _logger.LogInformation("Docker executor started worker container {Container} from template {Template}", name, ContainerName(template));
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        var containers = await ListServiceAsync(cancellationToken);
        foreach (var container in await ResolveAsync(workerIds, containers, cancellationToken))
        {
            _released.TryAdd(container.ID, container.HostConfig.RestartPolicy ?? new RestartPolicy { Name = RestartPolicyKind.No });
            await _engine.SetRestartPolicyAsync(container.ID, new RestartPolicy { Name = RestartPolicyKind.No }, cancellationToken);
            _logger.LogInformation("Docker executor released worker container {Container}: it will not be restarted", ContainerName(container));
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        var containers = await ListServiceAsync(cancellationToken);
        var victims = await ResolveAsync(workerIds, containers, cancellationToken);
        var victimIds = victims.Select(v => v.ID).ToHashSet(StringComparer.Ordinal);
        var keep = containers.All(c => victimIds.Contains(c.ID))
            ? victims.MinBy(v => ComposeLabels.Number(v.Config.Labels) ?? int.MaxValue)
            : null;

        foreach (var victim in victims)
        {
            if (victim == keep)
            {
                await _engine.StopAsync(victim.ID, cancellationToken);
                await RestoreRestartPolicyAsync(victim.ID, cancellationToken);
                _logger.LogInformation(
                    "Docker executor stopped worker container {Container} instead of removing it: the last container of service {Service} is kept to scale up from",
                    ContainerName(victim),
                    _service);
                continue;
            }

            await _engine.RemoveAsync(victim.ID, cancellationToken);
            _released.TryRemove(victim.ID, out _);
            _logger.LogInformation("Docker executor removed worker container {Container}", ContainerName(victim));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();

    /// <summary>Created, starting, running or restarting: a worker now or soon.</summary>
    private static bool IsActive(ContainerListResponse container) => container.State is "created" or "running" or "restarting";

    private static string ContainerName(ContainerListResponse container) => ComposeNaming.Trim(container.Names?.FirstOrDefault() ?? container.ID);

    private static string ContainerName(ContainerInspectResponse container) => ComposeNaming.Trim(container.Name);

    /// <summary>The service's replicas (one-off <c>docker compose run</c> containers are not).</summary>
    private async Task<List<ContainerListResponse>> ListServiceAsync(CancellationToken cancellationToken)
    {
        var containers = await _engine.ListAsync([$"{ComposeLabels.Project}={_project}", $"{ComposeLabels.Service}={_service}"], cancellationToken);
        return containers.Where(c => !ComposeLabels.IsOneOff(c.Labels)).ToList();
    }

    /// <summary>A running, unreleased replica if there is one; else a stopped one (kept at scale zero); else any.</summary>
    private ContainerListResponse PickTemplate(List<ContainerListResponse> containers) =>
        containers
            .OrderBy(c => (c.State == "running" ? 0 : IsActive(c) ? 1 : 2) + (_released.ContainsKey(c.ID) ? 3 : 0))
            .ThenBy(c => ComposeLabels.Number(c.Labels) ?? int.MaxValue)
            .FirstOrDefault()
        ?? throw new ExecutorException(
            $"No container of service '{_service}' in compose project '{_project}' was found on the Docker engine at {_endpoint}, "
            + "so there is no template to start workers from: start the compose project with at least one worker "
            + $"(docker compose up -d), or correct {ProjectSetting} / {ServiceSetting}.");

    private async Task<(string Id, string Name)> CreateReplicaAsync(
        string templateId, RestartPolicy restartPolicy, HashSet<int> usedNumbers, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
        {
            var number = Enumerable.Range(1, int.MaxValue - 1).First(n => !usedNumbers.Contains(n));
            usedNumbers.Add(number);

            // A fresh inspection per replica: the specification adopts the response's objects and changes them.
            var template = await _engine.InspectAsync(templateId, cancellationToken);
            var name = ComposeNaming.ReplicaName(_project, _service, number, ContainerName(template));
            var specification = ReplicaSpecification.From(template, _service, name, number, restartPolicy);
            if (await _engine.CreateAsync(specification.Create, cancellationToken) is not { } id)
            {
                continue; // the name belongs to a container outside the service: try the next number
            }

            foreach (var (network, endpoint) in specification.MoreNetworks)
            {
                await _engine.ConnectAsync(network, id, endpoint, cancellationToken);
            }

            return (id, name);
        }

        throw new ExecutorException(
            $"Could not name a new container of service '{_service}' in project '{_project}': {MaxNameAttempts} names in a row are taken. "
            + "Remove the stale containers named like the service's replicas.");
    }

    private async Task RestoreRestartPolicyAsync(string id, CancellationToken cancellationToken)
    {
        if (_released.TryRemove(id, out var original))
        {
            await _engine.SetRestartPolicyAsync(id, original, cancellationToken);
        }
    }

    /// <summary>
    /// The service's containers of <paramref name="workerIds"/>: the container named as the id (workers this executor
    /// started), or the one whose host name the id derives from (workers compose started). Unknown ids are logged.
    /// </summary>
    private async Task<List<ContainerInspectResponse>> ResolveAsync(
        IReadOnlyList<string> workerIds, List<ContainerListResponse> containers, CancellationToken cancellationToken)
    {
        var inspected = new Dictionary<string, ContainerInspectResponse?>(StringComparer.Ordinal);
        async Task<ContainerInspectResponse?> InspectAsync(ContainerListResponse container)
        {
            if (!inspected.TryGetValue(container.ID, out var response))
            {
                response = await _engine.InspectOrNullAsync(container.ID, cancellationToken);
                inspected[container.ID] = response;
            }

            return response;
        }

        var found = new Dictionary<string, ContainerInspectResponse>(StringComparer.Ordinal);
        foreach (var workerId in workerIds.Distinct(StringComparer.Ordinal))
        {
            ContainerInspectResponse? match = null;
            if (containers.Find(c => ContainerName(c) == workerId) is { } named)
            {
                match = await InspectAsync(named);
            }
            else
            {
                foreach (var container in containers)
                {
                    if (await InspectAsync(container) is { } candidate && ComposeNaming.IsDerivedWorkerId(workerId, candidate.Config.Hostname))
                    {
                        match = candidate;
                        break;
                    }
                }
            }

            if (match is null)
            {
                _logger.LogWarning(
                    "Docker executor found no container of service {Service} in project {Project} for worker {WorkerId}; skipped",
                    _service,
                    _project,
                    workerId);
                continue;
            }

            found.TryAdd(match.ID, match);
        }

        return found.Values.ToList();
    }
}
