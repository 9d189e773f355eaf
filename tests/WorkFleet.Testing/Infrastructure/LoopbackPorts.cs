using System.Net;
using System.Net.Sockets;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
internal static class LoopbackPorts
{
    /// <summary>
    /// A port that is free now. Docker publishes a fixed host port again after a restart, where it would
    /// hand a random one out anew; another process may still take this one before it is published.
    /// </summary>
    public static int PickFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
