using System.ComponentModel;

namespace WorkFleet.Jobs.Tests.Support;

/// <summary>A user-style handler that reports progress once per step, declares requirements and batches by prefix.</summary>
[Description("Counts to n.")]
[JobRequirements("gpu", "avx2", MemoryMb = 2048)]
public sealed class CountingHandler(JobContext context) : IBatchJobHandler<CountingInput, GreetingOutput>
{
    public Task<GreetingOutput> HandleAsync(CountingInput input, CancellationToken cancellationToken)
    {
        for (int i = 1; i <= input.N; i++)
        {
            context.ReportProgress((double)i / input.N, $"{context.JobType} {i}/{input.N}");
        }

        return Task.FromResult(new GreetingOutput(input.Prefix + input.N, input.N));
    }

    public string GetBatchKey(CountingInput input) => input.Prefix;

    public async Task<IReadOnlyList<GreetingOutput>> HandleBatchAsync(IReadOnlyList<CountingInput> inputs, CancellationToken cancellationToken)
    {
        var outputs = new List<GreetingOutput>();
        foreach (CountingInput input in inputs)
        {
            outputs.Add(await HandleAsync(input, cancellationToken));
        }

        // A batch of exactly 3 answers one result short, to exercise the adapter's check.
        return inputs.Count == 3 ? outputs.Take(2).ToList() : outputs;
    }
}

public sealed record CountingInput(string Prefix, int N);
