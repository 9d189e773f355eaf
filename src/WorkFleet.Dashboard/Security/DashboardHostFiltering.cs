using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>The Host headers the API answers to (<see cref="DashboardOptions.AllowedHosts"/>), for ASP.NET Core's host filtering.</summary>
public static class DashboardHostFiltering
{
    /// <summary>Loopback names and the compose and Kubernetes service names of the dispatcher.</summary>
    public static readonly IReadOnlyList<string> Defaults = ["localhost", "127.0.0.1", "[::1]", "dispatcher", "workfleet-dispatcher"];

    /// <summary>
    /// The configured hosts, or <see cref="Defaults"/> plus the specific hosts of the listen URLs, this machine's name and
    /// its own addresses (<paramref name="machineName"/>, <paramref name="localAddresses"/>): a Prometheus scraping a pod
    /// by its IP works, while a DNS-rebinding page, which always arrives under its own host name, does not.
    /// </summary>
    public static IReadOnlyList<string> AllowedHosts(DashboardOptions options, string? machineName = null, IEnumerable<IPAddress>? localAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.AllowedHosts))
        {
            return options.AllowedHosts.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        var listened = options.Urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null)
            .OfType<string>()
            .Where(host => host is not ("0.0.0.0" or "[::]" or "+" or "*" or ""));
        var own = (localAddresses ?? [])
            .Where(a => !a.IsIPv6LinkLocal && !IPAddress.IsLoopback(a))
            .Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString());
        var name = string.IsNullOrWhiteSpace(machineName) ? [] : new[] { machineName };
        return [.. Defaults.Concat(listened).Concat(name).Concat(own).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Host filtering options for <paramref name="options"/>: 400 for any other host, HTTP/1.0 requests without a Host header allowed.</summary>
    public static IOptionsMonitor<HostFilteringOptions> Monitor(DashboardOptions options) =>
        new FixedOptionsMonitor<HostFilteringOptions>(new HostFilteringOptions { AllowedHosts = [.. AllowedHosts(options, Environment.MachineName, OwnAddresses())] });

    private static IEnumerable<IPAddress> OwnAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)];
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    /// <summary>Options that never change: the dashboard's own host filtering, apart from the app-wide <c>AllowedHosts</c>.</summary>
    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
