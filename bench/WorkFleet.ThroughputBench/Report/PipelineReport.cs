using System.Globalization;
using System.Text;

namespace WorkFleet.ThroughputBench.Report;

/// <summary>The <c>pipeline</c> mode's result: every round, and per pipeline the medians the README quotes.</summary>
/// <param name="Tasks">Tasks per round.</param>
/// <param name="Workers">Workers per fleet.</param>
/// <param name="Dispatchers">WorkFleet dispatchers per fleet (their CPU is summed).</param>
/// <param name="PrefetchPerSlot">The prefetching WorkFleet pipeline's <c>PrefetchPerSlot</c>.</param>
/// <param name="Rounds">Measured rounds, both pipelines.</param>
/// <param name="LoadBefore">Load averages when the run started.</param>
/// <param name="LoadAfter">Load averages when it ended.</param>
public sealed record PipelineReport(int Tasks, int Workers, int Dispatchers, int PrefetchPerSlot, IReadOnlyList<RoundResult> Rounds, string LoadBefore, string LoadAfter)
{
    /// <summary>Median tasks/s of a pipeline.</summary>
    public double? MedianTasksPerSecond(string pipeline) => Stats.Median(Of(pipeline).Select(r => (double?)r.TasksPerSecond));

    /// <summary>The pipelines, in the order they run.</summary>
    public static readonly string[] Pipelines = [RoundResult.Raw, RoundResult.RawStored, RoundResult.WorkFleet, RoundResult.WorkFleetPrefetch];

    /// <summary>WorkFleet's median throughput over the raw pipeline's.</summary>
    public double? Ratio => MedianTasksPerSecond(RoundResult.WorkFleet) / MedianTasksPerSecond(RoundResult.Raw);

    /// <summary>WorkFleet's median throughput over that of the raw pipeline storing every result.</summary>
    public double? StoredRatio => MedianTasksPerSecond(RoundResult.WorkFleet) / MedianTasksPerSecond(RoundResult.RawStored);

    /// <summary>WorkFleet's median throughput with short-task prefetch over the raw pipeline's.</summary>
    public double? PrefetchRatio => MedianTasksPerSecond(RoundResult.WorkFleetPrefetch) / MedianTasksPerSecond(RoundResult.Raw);

    /// <summary>WorkFleet's median throughput with short-task prefetch over that of the raw pipeline storing every result.</summary>
    public double? PrefetchStoredRatio => MedianTasksPerSecond(RoundResult.WorkFleetPrefetch) / MedianTasksPerSecond(RoundResult.RawStored);

    /// <summary>The Markdown tables: summary, then every round.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### pipeline: {Tasks} tasks per round, {Rounds.Count / Pipelines.Length} rounds of each, {Workers} workers, {Dispatchers} WorkFleet dispatcher(s), prefetch {PrefetchPerSlot} per slot in \"{RoundResult.WorkFleetPrefetch}\"");
        text.AppendLine();
        text.AppendLine("CPU in ms per task (median of the rounds).");
        text.AppendLine();
        text.AppendLine("| pipeline | tasks/s median | range | dispatcher | workers (sum) | each worker | RabbitMQ | PostgreSQL | outcomes stored |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var pipeline in Pipelines)
        {
            var rounds = Of(pipeline);
            var workers = Enumerable.Range(1, Workers).Select(i => Stats.Format(Median(rounds, r => r.PerTask($"worker-{i}"))));
            var stored = rounds.All(r => r.StoredSuccesses is null) ? "–" : string.Join(", ", rounds.Select(r => $"{r.StoredSuccesses}/{r.Tasks}").Distinct());
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {pipeline} | {Stats.Format(MedianTasksPerSecond(pipeline), 0)} | {Stats.Format(rounds.Min(r => r.TasksPerSecond), 0)}–{Stats.Format(rounds.Max(r => r.TasksPerSecond), 0)} "
                + $"| {Stats.Format(Median(rounds, r => r.DispatchersPerTask()))} | {Stats.Format(Median(rounds, r => r.WorkersPerTask()))} | {string.Join(" / ", workers)} "
                + $"| {Stats.Format(Median(rounds, r => r.PerTask("rabbitmq")))} | {Stats.Format(Median(rounds, r => r.PerTask("postgres")))} | {stored} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"WorkFleet / raw pipeline (median tasks/s): **{Stats.Format(Ratio)}x**; WorkFleet / raw pipeline storing every result: **{Stats.Format(StoredRatio)}x**; with prefetch {PrefetchPerSlot}: **{Stats.Format(PrefetchRatio)}x** / **{Stats.Format(PrefetchStoredRatio)}x**. Load average before {LoadBefore}, after {LoadAfter}.");
        text.AppendLine();
        text.AppendLine("| round | pipeline | tasks/s | seconds | dispatcher ms/task | workers ms/task | RabbitMQ ms/task | PostgreSQL ms/task |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Rounds)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Round} | {r.Pipeline} | {Stats.Format(r.TasksPerSecond, 0)} | {Stats.Format(r.Seconds, 1)} | {Stats.Format(r.DispatchersPerTask())} "
                + $"| {Stats.Format(r.WorkersPerTask())} | {Stats.Format(r.PerTask("rabbitmq"))} | {Stats.Format(r.PerTask("postgres"))} |");
        }

        return text.ToString();
    }

    private List<RoundResult> Of(string pipeline) => [.. Rounds.Where(r => r.Pipeline == pipeline)];

    private static double? Median(IEnumerable<RoundResult> rounds, Func<RoundResult, double?> value) => Stats.Median(rounds.Select(value));
}
