using System.Text.Json;

namespace WorkFleet.Jobs.Tests.Support;

/// <summary>An untyped handler registered directly as an <see cref="IJobHandler"/> service.</summary>
public sealed class PingHandler(string jobType = "test.ping") : IJobHandler
{
    public string JobType { get; } = jobType;

    public Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken) =>
        Task.FromResult(TestJson.Parse("""{"pong":true}"""));
}
