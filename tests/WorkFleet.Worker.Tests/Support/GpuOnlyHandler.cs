using WorkFleet.Jobs;

namespace WorkFleet.Worker.Tests.Support;

/// <summary>A handler that declares it needs a gpu and lots of memory.</summary>
[JobRequirements("gpu", "cuda12", MemoryMb = 4096)]
public sealed class GpuOnlyHandler : IJobHandler<EchoInput, EchoOutput>
{
    public const string JobType = "test.gpu";

    public Task<EchoOutput> HandleAsync(EchoInput input, CancellationToken cancellationToken) =>
        Task.FromResult(new EchoOutput(input?.Value ?? 0));
}
