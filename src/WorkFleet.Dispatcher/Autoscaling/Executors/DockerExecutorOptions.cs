namespace WorkFleet.Dispatcher.Autoscaling.Executors;

/// <summary>Docker executor settings. Section <c>WorkFleet:Autoscaler:Docker</c>.</summary>
/// <remarks>Access to the engine's socket is root on the host: mount it only into a dispatcher you trust.</remarks>
public sealed class DockerExecutorOptions
{
    /// <summary>Docker Engine API address. Default <c>unix:///var/run/docker.sock</c>.</summary>
    public string Endpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>The compose project whose worker service is scaled (label <c>com.docker.compose.project</c>). Required.</summary>
    public string? Project { get; set; }

    /// <summary>The compose service of the workers (label <c>com.docker.compose.service</c>). Default <c>worker</c>.</summary>
    public string Service { get; set; } = "worker";
}
