using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using WorkFleet.Dashboard.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// The dispatcher's HTTP API against a caller without the right key: every endpoint but the page shell and
/// <c>/healthz</c> answers 401 without a key, 403 with a key of a lower role; the generated key works.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed partial class HttpAuthenticationTests(InfrastructureFixture infrastructure)
{
    private static readonly string[] OpenPaths = ["/", "/healthz"];

    [Fact]
    public async Task EveryMappedEndpoint_WithoutKeyOrWithWrongKey_Answers401_SaveThePageAndHealthz()
    {
        // Arrange
        await using var dashboard = await StartAsync("authn", HttpSecuredDashboard.WithKeys());
        using var anonymous = dashboard.Client();
        using var wrong = dashboard.Client("not-a-key-of-this-dispatcher");
        var endpoints = dashboard.Endpoints;

        // Act + Assert: the open ones are exactly the page shell and /healthz ...
        Assert.Equal(OpenPaths, endpoints.Where(HttpEndpointRequests.IsOpen).Select(e => e.RoutePattern.RawText).Order(StringComparer.Ordinal));

        // ... and every other one, whatever its path, refuses a caller without a valid key.
        var guarded = endpoints.Where(e => !HttpEndpointRequests.IsOpen(e)).ToList();
        Assert.True(guarded.Count >= 6, $"only {guarded.Count} guarded endpoints found");
        foreach (var endpoint in guarded)
        {
            using var missing = await anonymous.SendAsync(HttpEndpointRequests.For(endpoint));
            Assert.True(missing.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint.RoutePattern.RawText} without a key answered {(int)missing.StatusCode}");
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
            var problem = await missing.Content.ReadAsStringAsync();
            Assert.Contains("API key required", problem, StringComparison.Ordinal);
            Assert.Contains("Authorization: Bearer", problem, StringComparison.Ordinal);

            using var refused = await wrong.SendAsync(HttpEndpointRequests.For(endpoint));
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint.RoutePattern.RawText} with a wrong key answered {(int)refused.StatusCode}");
            Assert.Contains("not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // An unmapped path is not an open door either.
        using var unknown = await anonymous.GetAsync(new Uri("api/not-mapped", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Healthz_AndPage_AnswerWithoutKey()
    {
        // Arrange
        await using var dashboard = await StartAsync("open", HttpSecuredDashboard.WithKeys());
        using var anonymous = dashboard.Client();

        // Act: /healthz turns 200 once the dispatcher consumes.
        var healthz = await Eventually.UntilAsync(
            async () => (await anonymous.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode,
            code => code == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "/healthz answering 200 without a key");
        var page = await anonymous.GetStringAsync(new Uri("/", UriKind.Relative));

        // Assert: the page is the shell that asks for a key, with no fleet data in it.
        Assert.Equal(HttpStatusCode.OK, healthz);
        Assert.Contains("API key required", page, StringComparison.Ordinal);
        Assert.DoesNotContain("fastest-free-slot", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadKey_ReadsEveryReadEndpoint_AndGets403OnAdminOnes_WhichTheAdminKeyReaches()
    {
        // Arrange
        await using var dashboard = await StartAsync("roles", HttpSecuredDashboard.WithKeys());
        using var reader = dashboard.Client(HttpSecuredDashboard.ReadKey);
        using var submitter = dashboard.Client(HttpSecuredDashboard.SubmitKey);
        using var admin = dashboard.Client(HttpSecuredDashboard.AdminKey);
        var readEndpoints = dashboard.Endpoints.Where(e => HttpEndpointRequests.Policies(e).Contains(DashboardPolicies.Read)).ToList();
        var adminEndpoints = dashboard.Endpoints.Where(e => HttpEndpointRequests.Policies(e).Contains(DashboardPolicies.Admin)).ToList();
        Assert.NotEmpty(readEndpoints);
        Assert.NotEmpty(adminEndpoints);

        // Act + Assert: a read key passes every read endpoint (a made-up task id is then simply not found) ...
        foreach (var endpoint in readEndpoints)
        {
            // Headers only: the event stream's body never ends.
            using var response = await reader.SendAsync(HttpEndpointRequests.For(endpoint), HttpCompletionOption.ResponseHeadersRead);
            var expected = endpoint.RoutePattern.Parameters.Count > 0 ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.True(response.StatusCode == expected, $"{endpoint.RoutePattern.RawText} with the read key answered {(int)response.StatusCode}, expected {(int)expected}");
        }

        // ... is refused on admin endpoints with a 403 naming the role, as a submit key is; an admin key gets through.
        foreach (var endpoint in adminEndpoints)
        {
            using var asReader = await reader.SendAsync(HttpEndpointRequests.For(endpoint));
            Assert.Equal(HttpStatusCode.Forbidden, asReader.StatusCode);
            var problem = await asReader.Content.ReadAsStringAsync();
            Assert.Contains("'reader' has role read", problem, StringComparison.Ordinal);
            Assert.Contains("role admin", problem, StringComparison.Ordinal);
            using var asSubmitter = await submitter.SendAsync(HttpEndpointRequests.For(endpoint));
            Assert.Equal(HttpStatusCode.Forbidden, asSubmitter.StatusCode);
            using var asAdmin = await admin.SendAsync(HttpEndpointRequests.For(endpoint));
            Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        }

        // The key list names holders and roles, never a key or its digest.
        var keys = await admin.GetStringAsync(new Uri("api/auth/keys", UriKind.Relative));
        Assert.Contains("\"name\":\"operator\",\"role\":\"admin\"", keys, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpSecuredDashboard.ReadKey, keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_IsAcceptedAsBearerOrXApiKey_AndTheServerKnowsWhoSentIt()
    {
        // Arrange
        await using var dashboard = await StartAsync("bearer", HttpSecuredDashboard.WithKeys());
        using var bearer = dashboard.Client();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HttpSecuredDashboard.AdminKey);
        using var header = dashboard.Client(HttpSecuredDashboard.SubmitKey);
        using var wrongBearer = dashboard.Client();
        wrongBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HttpSecuredDashboard.AdminKey + "x");

        // Act
        using var asAdmin = JsonDocument.Parse(await bearer.GetStringAsync(new Uri("api/auth/whoami", UriKind.Relative)));
        using var asSubmitter = JsonDocument.Parse(await header.GetStringAsync(new Uri("api/auth/whoami", UriKind.Relative)));
        using var refused = await wrongBearer.GetAsync(new Uri("api/status", UriKind.Relative));

        // Assert
        Assert.Equal("operator", asAdmin.RootElement.GetProperty("name").GetString());
        Assert.Equal("admin", asAdmin.RootElement.GetProperty("role").GetString());
        Assert.Equal("submitter", asSubmitter.RootElement.GetProperty("name").GetString());
        Assert.Equal("submit", asSubmitter.RootElement.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(refused.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task NoKeyConfigured_GeneratedAdminKeyIsLoggedOnceAtWarning_AndOpensTheApi()
    {
        // Arrange + Act: a dispatcher with no key configured.
        await using var dashboard = await StartAsync("generated", new Dictionary<string, string?>());
        var announcements = await Eventually.UntilAsync(
            () => Task.FromResult(dashboard.Logs.GetSnapshot().Where(r => r.Message.Contains("#key=", StringComparison.Ordinal)).ToList()),
            records => records.Count > 0,
            TimeSpan.FromSeconds(10),
            "the generated key in the log");

        // Assert: one Warning with the dashboard URL and the key, and that key is an admin key.
        var announcement = Assert.Single(announcements);
        Assert.Equal(LogLevel.Warning, announcement.Level);
        var match = LoggedUrl().Match(announcement.Message);
        Assert.True(match.Success, announcement.Message);
        Assert.Equal(dashboard.Address.ToString().TrimEnd('/'), match.Groups["url"].Value);
        using var withKey = dashboard.Client(match.Groups["key"].Value);
        using var keys = await withKey.GetAsync(new Uri("api/auth/keys", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.Contains("\"name\":\"generated\",\"role\":\"admin\"", await keys.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var anonymous = dashboard.Client();
        using var refused = await anonymous.GetAsync(new Uri("api/status", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AuthenticationNone_LeavesTheApiOpen_AndSaysSoAtWarning()
    {
        // Arrange + Act
        await using var dashboard = await StartAsync("none", new Dictionary<string, string?> { ["WorkFleet:Dashboard:Authentication"] = "None" });
        using var anonymous = dashboard.Client();
        using var status = await anonymous.GetAsync(new Uri("api/status", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var warning = await Eventually.UntilAsync(
            () => Task.FromResult(dashboard.Logs.GetSnapshot().FirstOrDefault(r => r.Message.Contains("open to anyone", StringComparison.Ordinal))),
            record => record is not null,
            TimeSpan.FromSeconds(10),
            "the open-API warning");
        Assert.Equal(LogLevel.Warning, warning!.Level);
        Assert.DoesNotContain(dashboard.Logs.GetSnapshot(), r => r.Message.Contains("#key=", StringComparison.Ordinal));
    }

    private async Task<HttpSecuredDashboard> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique(name));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique(name));
        return await HttpSecuredDashboard.StartAsync(rabbit, database, settings);
    }

    [GeneratedRegex(@"at (?<url>http://127\.0\.0\.1:\d+)/#key=(?<key>[A-Za-z0-9_-]{43}) ")]
    private static partial Regex LoggedUrl();
}
