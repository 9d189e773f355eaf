namespace WorkFleet.Jobs;

/// <summary>
/// A job input that checks itself after deserialization. When <see cref="Validate"/> returns any
/// error, the job fails with a <see cref="JobInputException"/> listing them and the handler never runs.
/// </summary>
public interface IValidatableJobInput
{
    /// <summary>Checks the input.</summary>
    /// <returns>
    /// One message per problem, each naming the field, e.g. <c>'maxLength' must be between 1 and 4096 but is 0</c>;
    /// empty when the input is valid.
    /// </returns>
    IEnumerable<string> Validate();
}
