using System.Text.Json;
using WorkFleet.Jobs;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary><c>test.echo</c>: returns the text repeated; rejects input outside <see cref="EchoInput.Validate"/>.</summary>
public sealed class EchoJob(JobLog log) : IJobHandler<EchoInput, EchoOutput>
{
    /// <summary>The job type.</summary>
    public const string Type = "test.echo";

    /// <summary>A payload for this job (and for <see cref="GatedJob"/>).</summary>
    public static JsonElement Payload(string text, int times = 1) => JsonSerializer.SerializeToElement(new EchoInput(text, times), JsonSerializerOptions.Web);

    /// <summary>What this job returns for <paramref name="text"/> and <paramref name="times"/>.</summary>
    public static string Echo(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    /// <inheritdoc />
    public Task<EchoOutput> HandleAsync(EchoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = JobExecutionContext.Current!;
        log.Enter(job);
        try
        {
            return Task.FromResult(new EchoOutput(Echo(input.Text!, input.Times)));
        }
        finally
        {
            log.Exit(job);
        }
    }
}
