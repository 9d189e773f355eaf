using WorkFleet.Dashboard.Api;

namespace WorkFleet.Dashboard.Tests.Api;

/// <summary>Durations as HTTP callers write them.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("45", 45_000)]
    [InlineData("00:00:30", 30_000)]
    [InlineData(" 10S ", 10_000)]
    public void Parse_KnownForms_GiveTheDuration(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationText.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("-00:00:01")]
    [InlineData("1e400s")]
    public void Parse_NoDurationOrNegative_GivesNull(string? text)
    {
        Assert.Null(DurationText.Parse(text));
    }
}
