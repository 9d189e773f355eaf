namespace WorkFleet.Simulation;

/// <summary>Samplers on top of <see cref="Random"/>, deterministic for a seeded instance.</summary>
internal static class Distributions
{
    /// <summary>An exponential draw with the given rate (mean 1 / rate).</summary>
    public static double Exponential(Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;

    /// <summary>A standard normal draw (Box–Muller; one of the pair is enough here).</summary>
    public static double StandardNormal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
