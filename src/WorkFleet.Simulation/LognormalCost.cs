namespace WorkFleet.Simulation;

/// <summary>
/// Task costs: lognormal with mean 1 and coefficient of variation cv, i.e. σ² = ln(1 + cv²) and
/// μ = −σ² / 2, so that E[exp(μ + σZ)] = exp(μ + σ²/2) = 1. cv = 0 gives the constant 1.
/// </summary>
internal readonly struct LognormalCost
{
    private readonly double _mu;
    private readonly double _sigma;

    public LognormalCost(double cv)
    {
        var variance = Math.Log(1 + (cv * cv));
        _sigma = Math.Sqrt(variance);
        _mu = -variance / 2;
    }

    public double Next(Random random) => _sigma == 0 ? 1 : Math.Exp(_mu + (_sigma * Distributions.StandardNormal(random)));
}
