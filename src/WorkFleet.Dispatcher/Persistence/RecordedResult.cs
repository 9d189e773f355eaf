using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>What storing a worker's result did, and where the outcome goes when it decided the task.</summary>
/// <param name="Disposition">What the result did to the task.</param>
/// <param name="Route">
/// The task's reply route, read by the same statement that decided it (so the outcome needs no query of its own);
/// <see cref="ReplyRoute.None"/> unless <paramref name="Disposition"/> is <see cref="ResultDisposition.Decided"/>.
/// </param>
public sealed record RecordedResult(ResultDisposition Disposition, ReplyRoute Route);
