namespace WorkFleet.Dispatcher.Tests.Autoscaling.Kubernetes;

/// <summary>A pod of the worker Deployment as the fake API server lists it.</summary>
public sealed record FakePod(string Name, bool Ready = true, bool Terminating = false);
