using System.Globalization;

namespace WorkFleet.Dispatcher.Autoscaling.Executors.Docker;

/// <summary>
/// Container names as compose makes them: v2 <c>project-service-N</c>, v1 <c>project_service_N</c>. A new replica
/// follows its template's style, so <c>docker compose ps</c> lists it like the others.
/// </summary>
internal static class ComposeNaming
{
    /// <summary>The name of replica <paramref name="number"/>, in the style of <paramref name="templateName"/>.</summary>
    public static string ReplicaName(string project, string service, int number, string templateName)
    {
        var separator = templateName.StartsWith($"{project}_{service}_", StringComparison.Ordinal) ? '_' : '-';
        return string.Create(CultureInfo.InvariantCulture, $"{project}{separator}{service}{separator}{number}");
    }

    /// <summary>The container's name without the engine's leading slash.</summary>
    public static string Trim(string? engineName) => (engineName ?? string.Empty).TrimStart('/');

    /// <summary>
    /// Whether <paramref name="workerId"/> is the id a worker derives from the host name <paramref name="hostname"/>
    /// when none is configured: host name, '-', a random suffix without '-' (WorkerOptions.ResolveWorkerId).
    /// </summary>
    public static bool IsDerivedWorkerId(string workerId, string? hostname)
    {
        if (string.IsNullOrEmpty(hostname) || workerId.Length <= hostname.Length + 1)
        {
            return false;
        }

        return workerId.StartsWith(hostname + "-", StringComparison.OrdinalIgnoreCase)
            && !workerId.AsSpan(hostname.Length + 1).Contains('-');
    }
}
