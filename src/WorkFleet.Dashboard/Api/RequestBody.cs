using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace WorkFleet.Dashboard.Api;

/// <summary>Reads a request body up to a limit, so that a larger one is answered with problem details (413), not read whole.</summary>
public static class RequestBody
{
    /// <summary>The body's bytes, or null when it is larger than <paramref name="limit"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        // This limit replaces the server's own (Kestrel's 30 MB), which would answer without problem details.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit + 1;
        }

        using var body = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                return null;
            }

            body.Write(chunk, 0, read);
        }

        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }
}
