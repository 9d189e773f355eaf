namespace WorkFleet.Dispatcher.Tests.Autoscaling.Kubernetes;

/// <summary>One request the fake Kubernetes API server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body);
