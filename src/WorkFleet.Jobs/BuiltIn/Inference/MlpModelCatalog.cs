using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// The models <c>inference.mlp</c> can run, by name: files <c>&lt;name&gt;.safetensors</c> in
/// <see cref="MlpModelOptions.ModelDirectory"/> first, then the models shipped in this assembly. Each model
/// is loaded once, on first use, and kept; a file that fails to load is retried on the next request.
/// </summary>
/// <param name="options">Where user models live.</param>
public sealed partial class MlpModelCatalog(IOptions<MlpModelOptions> options)
{
    /// <summary>The model shipped with WorkFleet: 8x8 digit glyphs, see <c>Resources/README.md</c>.</summary>
    public const string DigitsModelName = "digits-mlp";

    private const string FileExtension = ".safetensors";
    private const string ResourcePrefix = "WorkFleet.Jobs.Resources.Models.";

    private readonly ConcurrentDictionary<string, Lazy<MlpModel?>> _models = new(StringComparer.Ordinal);

    /// <summary>The names of every available model, sorted.</summary>
    public IReadOnlyList<string> ModelNames
    {
        get
        {
            IEnumerable<string> shipped = typeof(MlpModelCatalog).Assembly.GetManifestResourceNames()
                .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(FileExtension, StringComparison.Ordinal))
                .Select(resource => resource[ResourcePrefix.Length..^FileExtension.Length]);
            IEnumerable<string> user = options.Value.ModelDirectory is { } directory && Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, "*" + FileExtension).Select(Path.GetFileNameWithoutExtension).OfType<string>()
                : [];
            return [.. shipped.Concat(user).Where(IsValidName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Whether <paramref name="name"/> can name a model: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><c>true</c> when the name is well-formed (the model may still not exist).</returns>
    public static bool IsValidName(string? name) => name is not null && ModelName().IsMatch(name);

    /// <summary>Finds a model, loading it on first use.</summary>
    /// <param name="name">The model's name; ill-formed names are never found.</param>
    /// <param name="model">The model when found.</param>
    /// <returns><c>true</c> when a model of that name exists.</returns>
    /// <exception cref="InvalidDataException">The model's file exists but is not a valid model.</exception>
    public bool TryGet(string name, [NotNullWhen(true)] out MlpModel? model)
    {
        model = null;
        if (!IsValidName(name))
        {
            return false;
        }

        Lazy<MlpModel?> entry = _models.GetOrAdd(name, key => new Lazy<MlpModel?>(() => Load(key)));
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

    private MlpModel? Load(string name)
    {
        if (options.Value.ModelDirectory is { } directory)
        {
            string path = Path.Combine(directory, name + FileExtension);
            if (File.Exists(path))
            {
                using FileStream file = File.OpenRead(path);
                return MlpModel.Load(name, file);
            }
        }

        using Stream? resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name + FileExtension);
        return resource is null ? null : MlpModel.Load(name, resource);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelName();
}
