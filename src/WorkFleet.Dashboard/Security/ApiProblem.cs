using Microsoft.AspNetCore.Http;

namespace WorkFleet.Dashboard.Security;

/// <summary>Writes the problem-details answers of the security layer (401, 403, 429).</summary>
internal static class ApiProblem
{
    /// <summary>Writes a problem-details body with <paramref name="status"/>, <paramref name="title"/> and <paramref name="detail"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, instance: context.Request.Path).ExecuteAsync(context);
}
