using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.ImageResize;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.BuiltIn.MatrixMultiply;
using WorkFleet.Jobs.BuiltIn.Normalization;
using WorkFleet.Jobs.BuiltIn.Onnx;
using WorkFleet.Jobs.BuiltIn.Tokenization;
using WorkFleet.Jobs.Registration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers job handlers and the <see cref="JobHandlerRegistry"/> the worker runs them from.</summary>
public static class JobServiceCollectionExtensions
{
    private static readonly MethodInfo TypedAddJobHandler = typeof(JobServiceCollectionExtensions).GetMethods()
        .Single(method => method.Name == nameof(AddJobHandler) && method.GetGenericArguments().Length == 3);

    /// <summary>
    /// Registers <typeparamref name="THandler"/> for <paramref name="jobType"/>, its input and output types taken
    /// from the one <see cref="IJobHandler{TInput, TOutput}"/> it implements; otherwise as
    /// <see cref="AddJobHandler{THandler, TInput, TOutput}"/>.
    /// </summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    /// <param name="services">The application's services.</param>
    /// <param name="jobType">The job type producers submit, e.g. <c>images.resize</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="THandler"/> implements no or several <see cref="IJobHandler{TInput, TOutput}"/>.</exception>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string jobType)
        where THandler : class
    {
        Type[] handlerInterfaces = [.. typeof(THandler).GetInterfaces()
            .Where(type => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IJobHandler<,>))];
        if (handlerInterfaces.Length != 1)
        {
            throw new ArgumentException(
                $"{typeof(THandler).Name} implements IJobHandler<TInput, TOutput> {handlerInterfaces.Length} times; " +
                "it must implement it exactly once, or be registered with AddJobHandler<THandler, TInput, TOutput>.",
                nameof(THandler));
        }

        Type[] inputAndOutput = handlerInterfaces[0].GetGenericArguments();
        MethodInfo add = TypedAddJobHandler.MakeGenericMethod(typeof(THandler), inputAndOutput[0], inputAndOutput[1]);
        return (IServiceCollection)add.Invoke(null, [services, jobType])!;
    }

    /// <summary>
    /// Registers a typed job handler for <paramref name="jobType"/>, plus the <see cref="JobHandlerRegistry"/>.
    /// <typeparamref name="THandler"/> is added as a transient service unless it is already registered
    /// (register it yourself first for another lifetime). When it is an <see cref="IBatchJobHandler{TInput, TOutput}"/>,
    /// the registry exposes it as an <see cref="IBatchJobHandler"/>. Its <see cref="System.ComponentModel.DescriptionAttribute"/>
    /// and <see cref="JobRequirementsAttribute"/> describe the job type (<see cref="JobHandlerRegistry.Describe"/>).
    /// Repeating the same call is a no-op; a different handler for the same job type makes building the
    /// registry throw <see cref="InvalidOperationException"/>.
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
        services.TryAddScoped<JobContext>();
        services.TryAddSingleton(CreateRegistry);

        Type adapterType = typeof(IBatchJobHandler<TInput, TOutput>).IsAssignableFrom(typeof(THandler))
            ? typeof(BatchJobHandlerAdapter<,,>).MakeGenericType(typeof(THandler), typeof(TInput), typeof(TOutput))
            : typeof(JobHandlerAdapter<THandler, TInput, TOutput>);
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
                provider => (IJobHandler)Activator.CreateInstance(
                    adapterType, jobType, provider.GetRequiredService<IServiceScopeFactory>())!));
        }

        return services;
    }

    /// <summary>
    /// Registers the built-in jobs (<see cref="BuiltInJobTypes"/>): <c>preprocess.tokenize</c>,
    /// <c>preprocess.normalize</c>, <c>preprocess.resize</c>, <c>inference.mlp</c>, <c>inference.onnx</c> and <c>compute.matmul</c>,
    /// plus the <see cref="JobHandlerRegistry"/>. The tokenizer uses the shipped vocabulary unless a
    /// <see cref="WordPieceVocabulary"/> is registered first. <c>inference.mlp</c> reads
    /// <see cref="MlpModelOptions"/> from the <c>WorkFleet:Jobs:Mlp</c> configuration section when an
    /// <see cref="IConfiguration"/> is registered (a host), and can be configured further with
    /// <c>services.Configure&lt;MlpModelOptions&gt;(...)</c>; <c>inference.onnx</c> likewise reads <see cref="OnnxModelOptions"/>
    /// from <c>WorkFleet:Jobs:Onnx</c>. Calling this more than once registers everything once.
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
        services.TryAddSingleton<ResizeJobHandler>();
        services.TryAddSingleton<MlpModelCatalog>();
        services.TryAddSingleton<MlpJobHandler>();
        services.TryAddSingleton<MatMulJobHandler>();
        services.TryAddSingleton<OnnxModelCatalog>();
        services.TryAddSingleton<OnnxJobHandler>();
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(MlpModelOptionsMarker)))
        {
            services.AddSingleton<MlpModelOptionsMarker>();
            services.AddOptions<MlpModelOptions>()
                .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(MlpModelOptions.SectionName).Bind(options))
                .Validate(
                    options => options.ModelDirectory is null || Directory.Exists(options.ModelDirectory),
                    $"{MlpModelOptions.SectionName}:ModelDirectory names a directory that does not exist.")
                .ValidateOnStart();
        }

        services.AddOnnxModelOptions();

        return services
            .AddJobHandler<TokenizeJobHandler, TokenizeInput, TokenizeOutput>(BuiltInJobTypes.Tokenize)
            .AddJobHandler<NormalizeJobHandler, NormalizeInput, NormalizeOutput>(BuiltInJobTypes.Normalize)
            .AddJobHandler<ResizeJobHandler, ResizeInput, ResizeOutput>(BuiltInJobTypes.Resize)
            .AddJobHandler<MlpJobHandler, MlpInput, MlpOutput>(BuiltInJobTypes.Mlp)
            .AddJobHandler<MatMulJobHandler, MatMulInput, MatMulOutput>(BuiltInJobTypes.MatMul)
            .AddJobHandler<OnnxJobHandler, OnnxInput, OnnxOutput>(BuiltInJobTypes.Onnx);
    }

    private static JobHandlerRegistry CreateRegistry(IServiceProvider provider) =>
        new(provider.GetServices<JobHandlerRegistration>()
            .Select(registration => registration.CreateHandler(provider))
            .Concat(provider.GetServices<IJobHandler>()));

    /// <summary>Marks that the options of <c>inference.mlp</c> are registered, so a second <c>AddBuiltInJobs</c> does not bind them twice.</summary>
    private sealed class MlpModelOptionsMarker;
}
