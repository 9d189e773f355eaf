namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// Who may cancel a task: the broker user that submitted it, an operator (or dispatcher) user listed in
/// <see cref="SenderTrustOptions.OperatorUsers"/> or the dispatcher's own user, or anyone when sender identity is not
/// required (the in-memory transport, or RequireSenderIdentity off). Pure.
/// </summary>
public static class CancelAuthorization
{
    /// <summary>Why <paramref name="sender"/> may not cancel a task submitted by <paramref name="submittedBy"/>; null when it may.</summary>
    /// <param name="sender">The broker-validated user that sent the cancel, or null when it carries none.</param>
    /// <param name="submittedBy">The broker-validated user that submitted the task, or null when unknown (HTTP, older rows).</param>
    /// <param name="privilegedUsers">Users that may cancel any task (operators, dispatchers).</param>
    /// <param name="identityRequired">Whether the sender must be known (RabbitMQ with RequireSenderIdentity).</param>
    public static string? Problem(string? sender, string? submittedBy, IReadOnlyCollection<string> privilegedUsers, bool identityRequired)
    {
        ArgumentNullException.ThrowIfNull(privilegedUsers);
        if (!identityRequired)
        {
            return null;
        }

        if (sender is null)
        {
            return "it carries no broker-validated user-id";
        }

        if (privilegedUsers.Contains(sender, StringComparer.Ordinal))
        {
            return null;
        }

        if (submittedBy is null)
        {
            return $"broker user '{sender}' is not an operator, and the task has no known submitter";
        }

        return string.Equals(sender, submittedBy, StringComparison.Ordinal)
            ? null
            : $"broker user '{sender}' neither submitted the task nor is one of WorkFleet:Dispatcher:Trust:OperatorUsers";
    }
}
