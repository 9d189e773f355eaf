namespace WorkFleet.Worker.Execution;

/// <summary>Whether an arriving attempt may start on this worker.</summary>
public enum StartDecision
{
    /// <summary>It starts.</summary>
    Start,

    /// <summary>Its task was cancelled: it fails as <c>cancelled</c> without running.</summary>
    Cancelled,

    /// <summary>This very attempt already runs here (a copy: a resubmit or a redelivery); the running one reports.</summary>
    AlreadyRunning,
}
