using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WorkFleet.Jobs.Serialization;

/// <summary>The JSON conventions shared by every job's input and output.</summary>
internal static class JobJson
{
    /// <summary>
    /// Web defaults (camelCase, case-insensitive, unknown members ignored), and <c>null</c> is refused
    /// for non-nullable members so a <c>"texts": null</c> fails at the field rather than deep in a handler.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Turns a deserialization error into a message naming the JSON path and the problem.</summary>
    public static string DescribeError(JsonException exception)
    {
        string problem = exception.Message;
        // System.Text.Json appends " Path: $.x | LineNumber: ..." to the message; the path is reported separately.
        int pathStart = problem.IndexOf(" Path: ", StringComparison.Ordinal);
        if (pathStart >= 0)
        {
            problem = problem[..pathStart];
        }

        string path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        return $"invalid input at '{path}': {problem}";
    }

    private static JsonSerializerOptions CreateOptions()
    {
        // The resolver is explicit so that hosts which turn reflection-based serialization off by
        // default (trimmed or AOT-style publishing) still get the contract the SDK documents.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
