using System.Text.RegularExpressions;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// The rule for the <c>model</c> of <c>inference.onnx</c>: a plain file name ending in <c>.onnx</c> inside the
/// model directory, never a path. Pure: no file system access.
/// </summary>
public static partial class OnnxModelName
{
    /// <summary>The extension every model file has.</summary>
    public const string Extension = ".onnx";

    /// <summary>Longest accepted name, extension included.</summary>
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="name"/> cannot name a model file, or <c>null</c> when it can.</summary>
    /// <param name="name">The candidate, e.g. <c>digits-mlp.onnx</c>.</param>
    /// <returns>A reason that quotes the name, e.g. <c>"../x.onnx" contains '..'</c>; <c>null</c> for a valid name.</returns>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is required";
        }

        string quoted = $"\"{name}\"";
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return $"{quoted} contains '..': it must be a file name in the model directory, not a path";
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(name))
        {
            return $"{quoted} is a path: it must be a file name in the model directory, without '/' or '\\'";
        }

        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return $"{quoted} must end in '{Extension}'";
        }

        return FileName().IsMatch(name)
            ? null
            : $"{quoted} must be 1 to {MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
