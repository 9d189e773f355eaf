using System.Text.Json;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn.Diagnostics;

namespace WorkFleet.Jobs.Tests.Diagnostics;

public sealed class SleepJobHandlerTests
{
    private static JsonElement Input(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task Sleeps_at_least_the_given_time_and_reports_it()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var output = await new SleepJobHandler().ExecuteAsync(Input("""{"ms":50}"""), CancellationToken.None);

        Assert.True(started.ElapsedMilliseconds >= 45, $"returned after {started.ElapsedMilliseconds} ms");
        Assert.Equal(50, output.GetProperty("sleptMs").GetInt32());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"ms":-1}""")]
    [InlineData("""{"ms":600001}""")]
    [InlineData("""{"ms":"soon"}""")]
    [InlineData("""[1]""")]
    public async Task Bad_input_names_the_field_and_its_range(string json)
    {
        var error = await Assert.ThrowsAsync<JobInputException>(() => new SleepJobHandler().ExecuteAsync(Input(json), CancellationToken.None));

        Assert.Contains("'ms' must be a whole number of milliseconds within 0..600000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_ends_it_early()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SleepJobHandler().ExecuteAsync(Input("""{"ms":600000}"""), cancel.Token));
    }
}
