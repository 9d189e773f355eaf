using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// The ONNX models <c>inference.onnx</c> can run, by file name: <c>&lt;name&gt;.onnx</c> in
/// <see cref="OnnxModelOptions.ModelDirectory"/> first, then the models shipped in this assembly. Each model's
/// session is created once, on first use, and shared by every job (sessions are thread-safe); a file that is
/// missing or fails to load is tried again on the next request. Disposing the catalog releases the sessions.
/// </summary>
/// <param name="options">Where user models live and which execution provider runs them.</param>
public sealed class OnnxModelCatalog(IOptions<OnnxModelOptions> options) : IDisposable
{
    /// <summary>The model shipped with WorkFleet: <c>digits-mlp</c> exported to ONNX, see <c>Resources/README.md</c>.</summary>
    public const string DigitsModelName = "digits-mlp.onnx";

    private const string ResourcePrefix = "WorkFleet.Jobs.Resources.Models.";

    private readonly ConcurrentDictionary<string, Lazy<OnnxModel?>> _models = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>The file names of every available model, sorted.</summary>
    public IReadOnlyList<string> ModelNames
    {
        get
        {
            IEnumerable<string> shipped = typeof(OnnxModelCatalog).Assembly.GetManifestResourceNames()
                .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(OnnxModelName.Extension, StringComparison.Ordinal))
                .Select(resource => resource[ResourcePrefix.Length..]);
            IEnumerable<string> user = options.Value.ModelDirectory is { } directory && Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, "*" + OnnxModelName.Extension).Select(Path.GetFileName).OfType<string>()
                : [];
            return [.. shipped.Concat(user).Where(name => OnnxModelName.Problem(name) is null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Finds a model, creating its session on first use.</summary>
    /// <param name="name">The model's file name; names that <see cref="OnnxModelName"/> refuses are never found.</param>
    /// <param name="model">The model when found.</param>
    /// <returns><c>true</c> when a model of that name exists.</returns>
    /// <exception cref="InvalidDataException">The file exists but ONNX Runtime cannot load it.</exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="OnnxModelOptions.UseCuda"/> is set but the CUDA execution provider cannot be loaded.
    /// </exception>
    public bool TryGet(string name, [NotNullWhen(true)] out OnnxModel? model)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        model = null;
        if (OnnxModelName.Problem(name) is not null)
        {
            return false;
        }

        Lazy<OnnxModel?> entry = _models.GetOrAdd(name, key => new Lazy<OnnxModel?>(() => Load(key)));
        try
        {
            model = entry.Value;
        }
        finally
        {
            // Misses and failures are not cached: the file may be added or fixed later.
            if (model is null)
            {
                _models.TryRemove(KeyValuePair.Create(name, entry));
            }
        }

        return model is not null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        foreach (Lazy<OnnxModel?> entry in _models.Values.Where(entry => entry.IsValueCreated))
        {
            entry.Value?.Dispose();
        }

        _models.Clear();
    }

    private OnnxModel? Load(string name)
    {
        byte[]? bytes = null;
        if (options.Value.ModelDirectory is { } directory)
        {
            string path = Path.Combine(directory, name);
            bytes = File.Exists(path) ? File.ReadAllBytes(path) : null;
        }

        if (bytes is null)
        {
            using Stream? resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name);
            if (resource is null)
            {
                return null;
            }

            using var copy = new MemoryStream();
            resource.CopyTo(copy);
            bytes = copy.ToArray();
        }

        using SessionOptions sessionOptions = CreateSessionOptions();
        try
        {
            return new OnnxModel(name, new InferenceSession(bytes, sessionOptions));
        }
        catch (OnnxRuntimeException exception)
        {
            throw new InvalidDataException($"{BuiltInJobTypes.Onnx}: model '{name}' cannot be loaded by ONNX Runtime: {exception.Message}", exception);
        }
    }

    private SessionOptions CreateSessionOptions()
    {
        var sessionOptions = new SessionOptions();
        if (!options.Value.UseCuda)
        {
            return sessionOptions;
        }

        try
        {
            sessionOptions.AppendExecutionProvider_CUDA(options.Value.CudaDeviceId);
            return sessionOptions;
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            sessionOptions.Dispose();
            throw new InvalidOperationException(
                $"{BuiltInJobTypes.Onnx}: this worker is configured for GPU ({OnnxModelOptions.SectionName}:UseCuda, set by the capability 'gpu' " +
                $"in WorkFleet:Worker:Capabilities) but ONNX Runtime's CUDA execution provider could not be loaded on device {options.Value.CudaDeviceId}: " +
                $"{exception.Message} It needs the Microsoft.ML.OnnxRuntime.Gpu package, CUDA 12 and cuDNN 9; or remove 'gpu' from the worker's capabilities.",
                exception);
        }
    }
}
