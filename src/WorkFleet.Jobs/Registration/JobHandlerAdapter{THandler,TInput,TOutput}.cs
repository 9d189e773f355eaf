using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.Serialization;

namespace WorkFleet.Jobs.Registration;

/// <summary>
/// Runs a typed <see cref="IJobHandler{TInput, TOutput}"/> behind the untyped <see cref="IJobHandler"/>:
/// JSON to <typeparamref name="TInput"/>, validation, the handler, <typeparamref name="TOutput"/> to JSON.
/// </summary>
/// <remarks>
/// The handler is resolved from a fresh scope per job, so handlers may depend on scoped services
/// (a DbContext, the <see cref="JobContext"/>) whatever lifetime they are registered with.
/// </remarks>
internal class JobHandlerAdapter<THandler, TInput, TOutput>(string jobType, IServiceScopeFactory scopeFactory)
    : IJobHandler
    where THandler : class, IJobHandler<TInput, TOutput>
{
    private JobTypeInfo? _info;

    public string JobType { get; } = jobType;

    public JobTypeInfo Info => _info ??= JobTypeInfoFactory.Create(JobType, typeof(THandler), typeof(TInput), this is IBatchJobHandler);

    protected IServiceScopeFactory ScopeFactory { get; } = scopeFactory;

    public Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken) =>
        ExecuteAsync(input, progress: null, cancellationToken);

    public async Task<JsonElement> ExecuteAsync(JsonElement input, IProgress<JobProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TInput typedInput = JobInputReader.Read<TInput>(JobType, input);

        await using AsyncServiceScope scope = ScopeFactory.CreateAsyncScope();
        THandler handler = ResolveHandler(scope, progress);
        TOutput output = await handler.HandleAsync(typedInput, cancellationToken);
        return JsonSerializer.SerializeToElement(output, JobJson.Options);
    }

    /// <summary>Names the handler type, e.g. in the registry's duplicate-registration error.</summary>
    public override string ToString() => typeof(THandler).FullName ?? typeof(THandler).Name;

    /// <summary>Sets up the scope's <see cref="JobContext"/>, then resolves the handler from the scope.</summary>
    protected THandler ResolveHandler(AsyncServiceScope scope, IProgress<JobProgress>? progress)
    {
        if (scope.ServiceProvider.GetService<JobContext>() is { } context)
        {
            context.JobType = JobType;
            if (progress is not null)
            {
                context.Progress = progress;
            }
        }

        return scope.ServiceProvider.GetRequiredService<THandler>();
    }
}
