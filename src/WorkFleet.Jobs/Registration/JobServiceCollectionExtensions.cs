using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.MatrixMultiply;
using WorkFleet.Jobs.BuiltIn.Normalization;
using WorkFleet.Jobs.BuiltIn.Tokenization;
using WorkFleet.Jobs.Registration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers job handlers and the <see cref="JobHandlerRegistry"/> the worker runs them from.</summary>
public static class JobServiceCollectionExtensions
{
    /// <summary>
    /// Registers a typed job handler for <paramref name="jobType"/>, plus the <see cref="JobHandlerRegistry"/>.
    /// <typeparamref name="THandler"/> is added as a transient service unless it is already registered
    /// (register it yourself first for another lifetime). Repeating the same call is a no-op; a different
    /// handler for the same job type makes building the registry throw <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <typeparam name="TInput">The job's input, deserialized from the task payload.</typeparam>
    /// <typeparam name="TOutput">The job's result, serialized to the task result.</typeparam>
    /// <param name="services">The application's services.</param>
    /// <param name="jobType">The job type producers submit, e.g. <c>images.resize</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddJobHandler<THandler, TInput, TOutput>(this IServiceCollection services, string jobType)
        where THandler : class, IJobHandler<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);

        services.TryAddTransient<THandler>();
        services.TryAddSingleton(CreateRegistry);

        Type adapterType = typeof(JobHandlerAdapter<THandler, TInput, TOutput>);
        bool alreadyRegistered = services.Any(descriptor =>
            descriptor.ServiceType == typeof(JobHandlerRegistration)
            && !descriptor.IsKeyedService
            && descriptor.ImplementationInstance is JobHandlerRegistration registration
            && registration.JobType == jobType
            && registration.AdapterType == adapterType);
        if (!alreadyRegistered)
        {
            services.AddSingleton(new JobHandlerRegistration(
                jobType,
                adapterType,
                provider => new JobHandlerAdapter<THandler, TInput, TOutput>(
                    jobType, provider.GetRequiredService<IServiceScopeFactory>())));
        }

        return services;
    }

    /// <summary>
    /// Registers the built-in jobs (<see cref="BuiltInJobTypes"/>): <c>preprocess.tokenize</c>,
    /// <c>preprocess.normalize</c> and <c>compute.matmul</c>, plus the <see cref="JobHandlerRegistry"/>.
    /// The tokenizer uses the shipped vocabulary unless a <see cref="WordPieceVocabulary"/> is registered
    /// first. Calling this more than once registers everything once.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddBuiltInJobs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(_ => WordPieceVocabulary.Default);
        services.TryAddSingleton<WordPieceTokenizer>();
        services.TryAddSingleton<TokenizeJobHandler>();
        services.TryAddSingleton<NormalizeJobHandler>();
        services.TryAddSingleton<MatMulJobHandler>();

        return services
            .AddJobHandler<TokenizeJobHandler, TokenizeInput, TokenizeOutput>(BuiltInJobTypes.Tokenize)
            .AddJobHandler<NormalizeJobHandler, NormalizeInput, NormalizeOutput>(BuiltInJobTypes.Normalize)
            .AddJobHandler<MatMulJobHandler, MatMulInput, MatMulOutput>(BuiltInJobTypes.MatMul);
    }

    private static JobHandlerRegistry CreateRegistry(IServiceProvider provider) =>
        new(provider.GetServices<JobHandlerRegistration>()
            .Select(registration => registration.CreateHandler(provider))
            .Concat(provider.GetServices<IJobHandler>()));
}
