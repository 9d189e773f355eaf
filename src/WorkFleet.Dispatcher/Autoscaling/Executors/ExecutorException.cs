namespace WorkFleet.Dispatcher.Autoscaling.Executors;

/// <summary>
/// A platform refused or could not be reached (Docker engine down, Kubernetes 403, ...). The message says what
/// failed and what to fix; the autoscaler logs it, shows it, retries with backoff and dispatching goes on.
/// </summary>
public sealed class ExecutorException(string message, Exception? innerException = null) : Exception(message, innerException);
