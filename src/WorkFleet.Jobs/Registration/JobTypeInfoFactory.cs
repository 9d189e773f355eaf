using System.ComponentModel;
using System.Reflection;
using WorkFleet.Jobs.Schema;

namespace WorkFleet.Jobs.Registration;

/// <summary>Builds a typed handler's <see cref="JobTypeInfo"/> from its attributes and its input type.</summary>
internal static class JobTypeInfoFactory
{
    public static JobTypeInfo Create(string jobType, Type handlerType, Type inputType, bool supportsBatching)
    {
        JobRequirementsAttribute? requirements = handlerType.GetCustomAttribute<JobRequirementsAttribute>();
        return new JobTypeInfo
        {
            JobType = jobType,
            Description = handlerType.GetCustomAttribute<DescriptionAttribute>()?.Description,
            InputSchema = JobInputSchema.For(inputType),
            Requirements = requirements is null
                ? JobRequirements.None
                : new JobRequirements
                {
                    Capabilities = [.. requirements.Capabilities],
                    MemoryMb = requirements.MemoryMb > 0 ? requirements.MemoryMb : null,
                },
            SupportsBatching = supportsBatching,
        };
    }
}
