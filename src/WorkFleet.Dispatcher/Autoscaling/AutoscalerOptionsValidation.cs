using Microsoft.Extensions.Options;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>Stops the host at start when an enabled autoscaler is misconfigured, naming every bad setting.</summary>
public sealed class AutoscalerOptionsValidation : IValidateOptions<AutoscalerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AutoscalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = AutoscalerFactory.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
