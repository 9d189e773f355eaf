using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Jobs;

// A worker host that runs the built-in jobs plus "text.reverse"; configured like WorkFleet.WorkerHost.
var builder = Host.CreateApplicationBuilder(args);
builder.AddWorkFleetWorker();
builder.Services.AddJobHandler<ReverseHandler>("text.reverse");
await builder.Build().RunAsync();

/// <summary>Input of <c>text.reverse</c>: <c>{"text": "stressed", "times": 1}</c>.</summary>
internal sealed record ReverseInput(string Text, int Times = 1) : IValidatableJobInput
{
    public IEnumerable<string> Validate() =>
        Times is < 1 or > 10 ? [$"'times' must be between 1 and 10 but is {Times}"] : [];
}

/// <summary>Result of <c>text.reverse</c>: <c>{"reversed": "desserts"}</c>.</summary>
internal sealed record ReverseOutput(string Reversed);

[Description("Reverses text, 'times' times.")]
[JobRequirements(MemoryMb = 16)]
internal sealed class ReverseHandler(JobContext context) : IJobHandler<ReverseInput, ReverseOutput>
{
    public Task<ReverseOutput> HandleAsync(ReverseInput input, CancellationToken cancellationToken)
    {
        var text = input.Text;
        for (var i = 1; i <= input.Times; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            text = string.Concat(text.Reverse());
            context.ReportProgress((double)i / input.Times);
        }

        return Task.FromResult(new ReverseOutput(text));
    }
}
