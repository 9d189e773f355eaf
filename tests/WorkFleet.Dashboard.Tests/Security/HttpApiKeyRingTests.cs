using System.Net;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dashboard.Security;

namespace WorkFleet.Dashboard.Tests.Security;

/// <summary>The configured API keys: how each form of secret is read, and every bad setting refused at start by name.</summary>
[Trait("Category", "Security")]
public sealed class HttpApiKeyRingTests
{
    private const string Secret = "a-key-of-twenty-chars";

    [Fact]
    public void Match_KeyGivenAsKeyFileOrDigest_FindsItsHolder_AndNothingElseMatches()
    {
        // Arrange
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "file-held-key-0123456789\n");
        try
        {
            var ring = ApiKeyRing.FromOptions(
            [
                new ApiKeyOptions { Name = "plain", Role = ApiKeyRole.Read, Key = Secret },
                new ApiKeyOptions { Name = "file", Role = ApiKeyRole.Submit, KeyFile = file },
                new ApiKeyOptions { Name = "digest", Role = ApiKeyRole.Admin, KeySha256 = Convert.ToHexString(ApiKeyRing.Digest("digest-only-key-0123456789")).ToLowerInvariant() },
            ]);

            // Act + Assert
            Assert.Equal(("plain", ApiKeyRole.Read), Holder(ring.Match(Secret)));
            Assert.Equal(("file", ApiKeyRole.Submit), Holder(ring.Match("file-held-key-0123456789")));
            Assert.Equal(("digest", ApiKeyRole.Admin), Holder(ring.Match("digest-only-key-0123456789")));
            Assert.Null(ring.Match(Secret + " "));
            Assert.Null(ring.Match(""));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("", "k", null, null, "ApiKeys:0:Name is empty")]
    [InlineData("a", "short", null, null, "at least 16 characters")]
    [InlineData("a", Secret, null, "00", "exactly one of Key, KeyFile or KeySha256 (got 2)")]
    [InlineData("a", null, null, null, "exactly one of Key, KeyFile or KeySha256 (got 0)")]
    [InlineData("a", null, null, "abc", "KeySha256 ('a') must be 64 hex digits")]
    [InlineData("a", null, "/nonexistent/workfleet-key", null, "KeyFile ('a'): cannot read /nonexistent/workfleet-key")]
    public void FromOptions_BadKey_ThrowsNamingTheSetting(string name, string? key, string? keyFile, string? digest, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ApiKeyRing.FromOptions([new ApiKeyOptions { Name = name, Key = key, KeyFile = keyFile, KeySha256 = digest }]));

        Assert.Contains("WorkFleet:Dashboard:ApiKeys:0", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_SameNameTwice_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiKeyRing.FromOptions(
            [new ApiKeyOptions { Name = "ops", Key = Secret }, new ApiKeyOptions { Name = "ops", Key = Secret + "2" }]));

        Assert.Contains("ApiKeys:1:Name 'ops' is used by another key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewKey_Is43UrlSafeCharacters_AndDiffersEachTime()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => ApiKeyRing.NewKey()).ToList();

        Assert.All(keys, k => Assert.Matches("^[A-Za-z0-9_-]{43}$", k));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void AllowedHosts_Default_AreLoopbackServiceNamesListenedHostAndOwnAddresses_ConfiguredReplacesThem()
    {
        IPAddress[] own = [IPAddress.Parse("10.42.0.9"), IPAddress.Parse("fd00::9"), IPAddress.Parse("fe80::1"), IPAddress.Loopback];
        var defaults = DashboardHostFiltering.AllowedHosts(new DashboardOptions { Urls = "http://0.0.0.0:8080;http://10.0.0.7:8081" }, "pod-7", own);
        var configured = DashboardHostFiltering.AllowedHosts(new DashboardOptions { AllowedHosts = "fleet.example.com; *.fleet.example.com" }, "pod-7", own);

        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "dispatcher", "workfleet-dispatcher", "10.0.0.7", "pod-7", "10.42.0.9", "[fd00::9]"], defaults);
        Assert.Equal(["fleet.example.com", "*.fleet.example.com"], configured);
    }

    private static (string Name, ApiKeyRole Role)? Holder(ApiKey? key) => key is null ? null : (key.Name, key.Role);
}
