using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Told by <see cref="TaskFinisher"/> of every outcome this dispatcher has just stored, before it is sent to the
/// producer (e.g. the HTTP API's long-polls and event stream). Called on the finishing path: an observer must return
/// at once and never throw (hand the outcome to a bounded buffer and drop what does not fit).
/// </summary>
public interface ITaskOutcomeObserver
{
    /// <summary>Takes note of <paramref name="outcome"/>, stored a moment ago.</summary>
    void Recorded(TaskFinished outcome);
}
