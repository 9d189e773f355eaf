using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Docker;

/// <summary>
/// The Docker Engine API calls the executor makes, each turning a failure into an <see cref="ExecutorException"/>
/// that says what failed and what to fix.
/// </summary>
internal sealed class DockerEngine(DockerClient client, string endpoint) : IDisposable
{
    private const string EndpointSetting = "WorkFleet:Autoscaler:Docker:Endpoint";

    /// <summary>Every container (any state) carrying all of <paramref name="labels"/>.</summary>
    public Task<IList<ContainerListResponse>> ListAsync(IEnumerable<string> labels, CancellationToken cancellationToken) =>
        CallAsync("list containers", () => client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = labels.ToDictionary(label => label, _ => true, StringComparer.Ordinal),
                },
            },
            cancellationToken),
            cancellationToken);

    /// <summary>The container's full configuration.</summary>
    public Task<ContainerInspectResponse> InspectAsync(string id, CancellationToken cancellationToken) =>
        CallAsync($"inspect container {id}", () => client.Containers.InspectContainerAsync(id, cancellationToken),
            cancellationToken);

    /// <summary>The container's full configuration, or null when it no longer exists.</summary>
    public async Task<ContainerInspectResponse?> InspectOrNullAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectAsync(id, cancellationToken);
        }
        catch (ExecutorException exception) when (exception.InnerException is DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Creates a container and returns its id; a name already taken returns null.</summary>
    public async Task<string?> CreateAsync(CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(
                $"create container {parameters.Name} from image {parameters.Image}",
                async () => (await client.Containers.CreateContainerAsync(parameters, cancellationToken)).ID,
                cancellationToken);
        }
        catch (ExecutorException exception) when (exception.InnerException is DockerApiException { StatusCode: HttpStatusCode.Conflict })
        {
            return null;
        }
    }

    /// <summary>Attaches a created container to one more network.</summary>
    public Task ConnectAsync(string network, string id, EndpointSettings endpoint, CancellationToken cancellationToken) =>
        CallAsync($"connect container {id} to network {network}", () => client.Networks.ConnectNetworkAsync(
            network, new NetworkConnectParameters { Container = id, EndpointConfig = endpoint }, cancellationToken),
            cancellationToken);

    /// <summary>Starts a created or stopped container (a running one is left as it is).</summary>
    public Task StartAsync(string id, CancellationToken cancellationToken) =>
        CallAsync($"start container {id}", () => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken),
            cancellationToken);

    /// <summary>Stops a container with its own stop signal and timeout (a stopped one is left as it is).</summary>
    public Task StopAsync(string id, CancellationToken cancellationToken) =>
        CallAsync($"stop container {id}", () => client.Containers.StopContainerAsync(id, new ContainerStopParameters(), cancellationToken),
            cancellationToken);

    /// <summary>Removes a container, running or not, with its anonymous volumes; one already gone is not an error.</summary>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync($"remove container {id}", () => client.Containers.RemoveContainerAsync(
                id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken),
            cancellationToken);
        }
        catch (ExecutorException exception) when (exception.InnerException is DockerContainerNotFoundException)
        {
            // removed meanwhile (by compose, an operator, or its own --rm): the outcome wanted
        }
    }

    /// <summary>Changes the container's restart policy.</summary>
    public Task SetRestartPolicyAsync(string id, RestartPolicy policy, CancellationToken cancellationToken) =>
        CallAsync($"set the restart policy of container {id} to {policy.Name}", () => client.Containers.UpdateContainerAsync(
            id, new ContainerUpdateParameters { RestartPolicy = policy }, cancellationToken),
            cancellationToken);

    /// <inheritdoc />
    public void Dispose() => client.Dispose();

    private async Task CallAsync(string what, Func<Task> call, CancellationToken cancellationToken) =>
        await CallAsync(
            what,
            async () =>
            {
                await call();
                return true;
            },
            cancellationToken);

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (DockerApiException exception)
        {
            throw new ExecutorException(
                $"The Docker engine at {endpoint} refused to {what}: {(int)exception.StatusCode} {exception.ResponseBody?.Trim()}",
                exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or SocketException or TimeoutException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ExecutorException(
                $"The Docker engine at {endpoint} cannot be reached to {what} ({exception.Message}). Mount the engine's socket "
                + $"into the dispatcher (-v /var/run/docker.sock:/var/run/docker.sock) or set {EndpointSetting} to its address.",
                exception);
        }
    }
}
