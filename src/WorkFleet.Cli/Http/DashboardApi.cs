using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkFleet.CommandLine;

namespace WorkFleet.Cli.Http;

/// <summary>
/// Reads a dispatcher's JSON API (<c>/api/status</c>, <c>/api/autoscaler</c>, …) at <c>--url</c> with the key of
/// <see cref="ApiKeyOption"/>; failures become a <see cref="DashboardApiException"/> whose message tells the user what to fix.
/// </summary>
public sealed class DashboardApi : IDisposable
{
    /// <summary>The default <c>--url</c>: the dispatcher host's default dashboard address.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080/";

    private readonly HttpClient _http;

    /// <summary>A reader of the API at <paramref name="baseAddress"/>, sending <paramref name="apiKey"/> when there is one.</summary>
    public DashboardApi(Uri baseAddress, string? apiKey, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
        ApiKeyOption.Apply(_http, apiKey);
    }

    /// <summary>The base address of <paramref name="given"/> (a trailing '/' added), or null when it is not an absolute http(s) URL.</summary>
    public static Uri? ParseBaseAddress(string? given) =>
        given is not null && Uri.TryCreate(given.EndsWith('/') ? given : given + "/", UriKind.Absolute, out var address) && address.Scheme is "http" or "https"
            ? address
            : null;

    /// <summary>GETs <paramref name="path"/> (relative to the base address) and reads its JSON body as <typeparamref name="T"/>.</summary>
    /// <exception cref="DashboardApiException">Unreachable, refused the key, answered an error or nothing.</exception>
    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        var address = new Uri(_http.BaseAddress!, path);
        try
        {
            using var response = await _http.GetAsync(address, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new DashboardApiException($"{address} answered {(int)response.StatusCode} {response.StatusCode}: give an API key with --api-key or ${ApiKeyOption.EnvironmentVariable}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DashboardApiException($"{address} answered {(int)response.StatusCode} {response.StatusCode}");
            }

            return await response.Content.ReadFromJsonAsync<T>(Json.Options, cancellationToken)
                ?? throw new DashboardApiException($"{address} answered nothing");
        }
        catch (HttpRequestException ex)
        {
            throw new DashboardApiException($"cannot read {address}: {ex.Message} (is the dispatcher's dashboard there? see --url)", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DashboardApiException($"{address} did not answer within {_http.Timeout.TotalSeconds:0} s", ex);
        }
        catch (JsonException ex)
        {
            throw new DashboardApiException($"{address} answered something that is not its JSON: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
