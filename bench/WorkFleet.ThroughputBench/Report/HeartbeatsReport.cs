using System.Globalization;
using System.Text;

namespace WorkFleet.ThroughputBench.Report;

/// <summary>The <c>heartbeats</c> mode's result.</summary>
/// <param name="Workers">Simulated workers, one heartbeat per second each.</param>
/// <param name="Seconds">Measured seconds.</param>
/// <param name="HeartbeatsPerSecond">Heartbeats the simulator published per second while measured (a second's resolution).</param>
/// <param name="CpuMilliseconds">CPU used in them, by source.</param>
/// <param name="DispatcherIdlePercent">The dispatcher's CPU, as % of one core, before any heartbeat was sent.</param>
/// <param name="WorkersStored">Rows in the dispatcher's <c>workers</c> table at the end.</param>
/// <param name="LoadBefore">Load averages when the run started.</param>
/// <param name="LoadAfter">Load averages when it ended.</param>
public sealed record HeartbeatsReport(int Workers, double Seconds, double HeartbeatsPerSecond, IReadOnlyDictionary<string, double> CpuMilliseconds, double DispatcherIdlePercent, long WorkersStored, string LoadBefore, string LoadAfter)
{
    /// <summary>A source's CPU as a percentage of one core, or null when not measured.</summary>
    public double? PercentOfOneCore(string source) => CpuMilliseconds.TryGetValue(source, out var ms) ? ms / (Seconds * 1000) * 100 : null;

    /// <summary>What ingesting the heartbeats cost the dispatcher: its CPU with them less its CPU idle, % of one core.</summary>
    public double? IngestionPercent => PercentOfOneCore("dispatcher") - DispatcherIdlePercent;

    /// <summary>The Markdown table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### heartbeats: {Workers:N0} simulated workers at 1 heartbeat/s, {Seconds:F0} s measured");
        text.AppendLine();
        text.AppendLine("CPU as % of one core.");
        text.AppendLine();
        text.AppendLine("| heartbeats/s published | dispatcher | dispatcher idle | ingestion (difference) | PostgreSQL | RabbitMQ | simulator | workers stored |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {Stats.Format(HeartbeatsPerSecond, 0)} | {Stats.Format(PercentOfOneCore("dispatcher"), 1)} | {Stats.Format(DispatcherIdlePercent, 1)} | {Stats.Format(IngestionPercent, 1)} | {Stats.Format(PercentOfOneCore("postgres"), 1)} | {Stats.Format(PercentOfOneCore("rabbitmq"), 1)} "
            + $"| {Stats.Format(PercentOfOneCore("simulator"), 1)} | {WorkersStored:N0} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Load average before {LoadBefore}, after {LoadAfter}.");
        return text.ToString();
    }
}
