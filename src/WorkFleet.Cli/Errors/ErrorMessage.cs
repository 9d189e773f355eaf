namespace WorkFleet.Cli.Errors;

/// <summary>One message in an error queue, as an operator needs to see it.</summary>
/// <param name="Queue">The error queue.</param>
/// <param name="MessageId">Transport message id (MassTransit's, or the publisher's).</param>
/// <param name="Reason">Why it failed (MassTransit's fault message header).</param>
/// <param name="ExceptionType">The exception type that put it there.</param>
/// <param name="FailedAt">When it failed, if recorded.</param>
/// <param name="Body">The body as received (truncated for display by the caller).</param>
public sealed record ErrorMessage(string Queue, string? MessageId, string? Reason, string? ExceptionType, string? FailedAt, string Body);
