using Microsoft.AspNetCore.Http;
using WorkFleet.Contracts;

namespace WorkFleet.Dashboard.Api;

/// <summary>The HTTP status of a failed task's problem details, by its error kind (<see cref="ErrorKinds"/>).</summary>
public static class FailureStatus
{
    /// <summary>422 for input the job or fleet refused, 503 when nothing can run it, 504 for a timeout, 409 when cancelled, else 502.</summary>
    public static int Of(string? errorKind) => errorKind switch
    {
        ErrorKinds.InvalidTask or ErrorKinds.InvalidInput or ErrorKinds.UnknownJobType or ErrorKinds.PayloadTooLarge or ErrorKinds.ResultTooLarge
            => StatusCodes.Status422UnprocessableEntity,
        ErrorKinds.NoCapableWorker => StatusCodes.Status503ServiceUnavailable,
        ErrorKinds.Timeout => StatusCodes.Status504GatewayTimeout,
        ErrorKinds.Cancelled => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status502BadGateway,
    };
}
