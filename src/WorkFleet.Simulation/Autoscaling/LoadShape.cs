namespace WorkFleet.Simulation.Autoscaling;

/// <summary>How the arrival rate of a <see cref="LoadTrace"/> changes over time.</summary>
public enum LoadShape
{
    /// <summary>Straight line from the base rate at the start to the peak rate at the end.</summary>
    Ramp,

    /// <summary>One diurnal cycle compressed into the trace: base at start and end, peak in the middle (a raised cosine).</summary>
    Sine,

    /// <summary>Base rate for the first third, then the peak rate to the end.</summary>
    Step,

    /// <summary>Base rate, with the peak rate for <see cref="LoadTrace.SpikeSeconds"/> from the middle of the trace.</summary>
    Spike,

    /// <summary>
    /// The diurnal <see cref="Sine"/> with two spikes to the peak rate, <see cref="LoadTrace.SpikeSeconds"/> long, starting at
    /// a quarter and at three quarters of the trace (where the sine is halfway, so each spike jumps by half the range).
    /// </summary>
    SineSpikes,
}
