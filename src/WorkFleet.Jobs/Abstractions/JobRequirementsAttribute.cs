namespace WorkFleet.Jobs;

/// <summary>
/// Declares what a handler's job type needs from a worker, e.g. <c>[JobRequirements("gpu", MemoryMb = 2048)]</c>.
/// Read by <c>AddJobHandler</c> into <see cref="JobTypeInfo.Requirements"/>.
/// </summary>
/// <param name="capabilities">Capabilities the worker must offer, e.g. <c>gpu</c>.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JobRequirementsAttribute(params string[] capabilities) : Attribute
{
    /// <summary>Capabilities the worker must offer.</summary>
    public IReadOnlyList<string> Capabilities { get; } = capabilities ?? [];

    /// <summary>Memory one job needs, in MiB; 0 (the default) means not declared.</summary>
    public int MemoryMb { get; set; }
}
