using System.Globalization;
using System.Text;

namespace WorkFleet.ThroughputBench.Report;

/// <summary>One backlog run.</summary>
/// <param name="Label"><c>small</c> or <c>large</c>.</param>
/// <param name="Backlog">Tasks in the backlog.</param>
/// <param name="PublishSeconds">How long publishing the backlog took.</param>
/// <param name="Measured">The measured window: tasks finished in it, its length, CPU.</param>
/// <param name="DispatcherPeakMiB">The dispatcher's peak resident set (VmHWM).</param>
public sealed record BacklogRun(string Label, int Backlog, double PublishSeconds, RoundResult Measured, double? DispatcherPeakMiB)
{
    /// <summary>Throughput in the measured window.</summary>
    public double TasksPerSecond => Measured.TasksPerSecond;
}

/// <summary>The <c>backlog</c> mode's result.</summary>
/// <param name="Small">The small backlog's run.</param>
/// <param name="Large">The large backlog's run.</param>
/// <param name="LoadBefore">Load averages when the run started.</param>
/// <param name="LoadAfter">Load averages when it ended.</param>
public sealed record BacklogReport(BacklogRun Small, BacklogRun Large, string LoadBefore, string LoadAfter)
{
    /// <summary>The large backlog's rate over the small one's.</summary>
    public double Ratio => Large.TasksPerSecond / Small.TasksPerSecond;

    /// <summary>The Markdown table.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("### backlog: published before the fleet starts; rate and CPU from the warm-up's end to the last task");
        text.AppendLine();
        text.AppendLine("| backlog | published in (s) | tasks/s | dispatcher ms/task | workers ms/task | RabbitMQ ms/task | PostgreSQL ms/task | dispatcher peak RSS (MiB) | outcomes stored |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in new[] { Small, Large })
        {
            var m = run.Measured;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Backlog:N0} | {Stats.Format(run.PublishSeconds, 1)} | {Stats.Format(m.TasksPerSecond, 0)} | {Stats.Format(m.PerTask("dispatcher"))} | {Stats.Format(m.WorkersPerTask())} "
                + $"| {Stats.Format(m.PerTask("rabbitmq"))} | {Stats.Format(m.PerTask("postgres"))} | {Stats.Format(run.DispatcherPeakMiB, 0)} | {m.StoredSuccesses}/{run.Backlog} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Large / small backlog rate: **{Stats.Format(Ratio)}x**. Load average before {LoadBefore}, after {LoadAfter}.");
        return text.ToString();
    }
}
