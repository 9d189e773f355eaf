using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>What one send to a reply queue carries (see <see cref="OutcomeBatcher"/>).</summary>
/// <param name="Address">The reply queue's address.</param>
/// <param name="Sender">The send endpoints of the first caller whose outcome it carries (every caller awaits it).</param>
/// <param name="Outcomes">One or more outcomes for that queue.</param>
public sealed record OutcomeBatch(Uri Address, ISendEndpointProvider Sender, IReadOnlyList<TaskFinished> Outcomes);
