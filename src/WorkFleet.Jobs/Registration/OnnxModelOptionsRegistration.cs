using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.BuiltIn.Onnx;

namespace WorkFleet.Jobs.Registration;

/// <summary>Binds and validates <see cref="OnnxModelOptions"/> once per service collection.</summary>
internal static class OnnxModelOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="OnnxModelOptions"/> from <c>WorkFleet:Jobs:Onnx</c> when an <see cref="IConfiguration"/> is
    /// registered, validated on start (the directory must exist, the device id must not be negative). Repeated calls add nothing.
    /// </summary>
    public static IServiceCollection AddOnnxModelOptions(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(OnnxModelOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<OnnxModelOptionsMarker>();
        services.AddOptions<OnnxModelOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(OnnxModelOptions.SectionName).Bind(options))
            .Validate(
                options => options.ModelDirectory is null || Directory.Exists(options.ModelDirectory),
                $"{OnnxModelOptions.SectionName}:ModelDirectory names a directory that does not exist.")
            .Validate(options => options.CudaDeviceId >= 0, $"{OnnxModelOptions.SectionName}:CudaDeviceId must be 0 or more.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Marks that the options are registered.</summary>
    private sealed class OnnxModelOptionsMarker;
}
