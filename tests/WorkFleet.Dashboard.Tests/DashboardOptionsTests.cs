using Microsoft.Extensions.DependencyInjection;

namespace WorkFleet.Dashboard.Tests;

/// <summary>Bad listen URLs stop the dispatcher at start with a message naming the setting.</summary>
public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("ftp://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080;localhost")]
    public void ParseUrls_NotAnAbsoluteHttpUrl_ThrowsNamingTheSetting(string urls)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DashboardHostBuilderExtensions.ParseUrls(urls));

        Assert.StartsWith("WorkFleet:Dashboard:Urls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseUrls_SeveralSeparatedBySemicolons_ReturnsEach()
    {
        Assert.Equal(["http://127.0.0.1:8080", "http://[::1]:8080"], DashboardHostBuilderExtensions.ParseUrls(" http://127.0.0.1:8080 ; http://[::1]:8080 "));
    }
}
