using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>Virtual hosts on a RabbitMQ the tests did not start, through its management HTTP API (port 15672).</summary>
internal static class RabbitMqManagementApi
{
    private const int Port = 15672;

    /// <summary>
    /// Creates the virtual host <paramref name="name"/> (deleting an existing one of that name first) and grants
    /// <paramref name="server"/>'s user full permissions on it.
    /// </summary>
    /// <exception cref="NotSupportedException">The management API is not reachable.</exception>
    public static async Task CreateVirtualHostAsync(RabbitMqEndpoint server, string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.Host}:{Port}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{server.Username}:{server.Password}")));
        var vhost = Uri.EscapeDataString(name);
        try
        {
            using var deleted = await http.DeleteAsync(new Uri($"vhosts/{vhost}", UriKind.Relative));
            if (deleted.StatusCode != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccessStatusCode();
            }

            using var body = new StringContent("{}", Encoding.UTF8, "application/json");
            using var created = await http.PutAsync(new Uri($"vhosts/{vhost}", UriKind.Relative), body);
            created.EnsureSuccessStatusCode();

            using var grant = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
            var user = Uri.EscapeDataString(server.Username);
            using var granted = await http.PutAsync(new Uri($"permissions/{vhost}/{user}", UriKind.Relative), grant);
            granted.EnsureSuccessStatusCode();
        }
        catch (HttpRequestException exception) when (exception.StatusCode is null)
        {
            throw new NotSupportedException(
                $"Creating virtual hosts on the external RabbitMQ (WORKFLEET_TEST_RABBITMQ) needs its management API at {http.BaseAddress}, which is not reachable.",
                exception);
        }
    }
}
