using System.Text;
using System.Text.Json;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Finds the task id of a submit message without deserializing it: one forward-only pass of a
/// <see cref="Utf8JsonReader"/> over the body, allocating nothing, looking only at the top-level <c>taskId</c> (bare
/// JSON) and at <c>taskId</c> in the top-level <c>message</c> object (MassTransit's envelope); names match ignoring
/// case, as the deserializers do. Every other value is skipped unread. Nesting deeper than <see cref="MaxDepth"/>,
/// malformed JSON, or an id that is missing, not a GUID or empty gives <c>null</c>.
/// </summary>
public static class SubmitTaskIdScanner
{
    /// <summary>Deepest nesting the scan follows before giving up.</summary>
    public const int MaxDepth = 64;

    /// <summary>The task id in <paramref name="body"/>, or <c>null</c> when none can be found.</summary>
    public static Guid? FindTaskId(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject ? FindInObject(ref reader, lookInMessage: true) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The top-level <c>responseAddress</c> of a MassTransit envelope in <paramref name="body"/> (where a producer asks
    /// for the outcome), or <c>null</c>; every other value is skipped unread.
    /// </summary>
    public static Uri? FindResponseAddress(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAddress = NameIs(ref reader, "responseAddress"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isAddress)
                {
                    return reader.TokenType == JsonTokenType.String && Uri.TryCreate(reader.GetString(), UriKind.Absolute, out var address) ? address : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Guid? FindInObject(ref Utf8JsonReader reader, bool lookInMessage)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTaskId = NameIs(ref reader, "taskId"u8);
            var isMessage = lookInMessage && NameIs(ref reader, "message"u8);
            if (!reader.Read())
            {
                return null;
            }

            if (isTaskId && reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) && id != Guid.Empty)
            {
                return id;
            }

            if (isMessage && reader.TokenType == JsonTokenType.StartObject)
            {
                // Returns at the message's end when it holds no id; the envelope's other properties come next.
                if (FindInObject(ref reader, lookInMessage: false) is { } inMessage)
                {
                    return inMessage;
                }

                continue;
            }

            reader.Skip();
        }

        return null;
    }

    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        !reader.ValueIsEscaped && reader.ValueSpan.Length == name.Length && Ascii.EqualsIgnoreCase(reader.ValueSpan, name);
}
