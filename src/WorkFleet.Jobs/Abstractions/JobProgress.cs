namespace WorkFleet.Jobs;

/// <summary>A progress report from a running job.</summary>
/// <param name="Fraction">How much of the job is done, from 0 to 1.</param>
/// <param name="Message">What the job is doing, e.g. <c>epoch 3 of 10</c>; optional.</param>
public readonly record struct JobProgress(double Fraction, string? Message = null);
