namespace WorkFleet.Dispatcher.Autoscaling.Executors.Docker;

/// <summary>The labels docker compose (v1 and v2) puts on the containers it makes, which the executor reads and keeps.</summary>
internal static class ComposeLabels
{
    /// <summary>The compose project (normalized project name).</summary>
    public const string Project = "com.docker.compose.project";

    /// <summary>The service the container belongs to.</summary>
    public const string Service = "com.docker.compose.service";

    /// <summary>The replica number, 1-based, part of the container name.</summary>
    public const string ContainerNumber = "com.docker.compose.container-number";

    /// <summary><c>True</c> on containers of <c>docker compose run</c>, which are not replicas of the service.</summary>
    public const string OneOff = "com.docker.compose.oneoff";

    /// <summary>Whether <paramref name="labels"/> mark a one-off container.</summary>
    public static bool IsOneOff(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(OneOff, out var value) && string.Equals(value, "True", StringComparison.OrdinalIgnoreCase);

    /// <summary>The replica number in <paramref name="labels"/>, or null when absent or not a number.</summary>
    public static int? Number(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(ContainerNumber, out var text)
            && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
