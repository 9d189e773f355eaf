using System.Globalization;
using Spectre.Console;
using WorkFleet.Simulation.Autoscaling;

namespace WorkFleet.Lab.Commands;

/// <summary>
/// <c>simulate-autoscaling --seeds N</c>: each policy over N seeds (the scenario's seed and the N − 1 after it), so a
/// claim rests on more than one draw of arrivals and run times.
/// </summary>
internal static class AutoscalingSeedSummary
{
    /// <summary>Runs every policy on every seed and prints mean and worst SLO violations and cost per policy.</summary>
    public static object Run(AutoscalingScenario scenario, IReadOnlyList<string> names, int seeds, bool asJson, CancellationToken cancellationToken)
    {
        var violations = names.ToDictionary(n => n, _ => new List<double>());
        var tasksOver = names.ToDictionary(n => n, _ => 0L);
        var costShares = names.ToDictionary(n => n, _ => new List<double>());
        for (var i = 0; i < seeds; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var simulator = new AutoscalingSimulator(scenario with { Seed = scenario.Seed + i });
            var staticPeak = simulator.Run(AutoscalingPolicies.StaticPeak).WorkerSeconds;
            foreach (var name in names)
            {
                var result = simulator.Run(name);
                violations[name].Add(result.SloViolationShare);
                tasksOver[name] += (long)Math.Round(result.SloViolationShare * simulator.Tasks.Count);
                costShares[name].Add(result.WorkerSeconds / staticPeak);
            }
        }

        var rows = names.Select(n => new
        {
            name = n,
            slo_violations_mean = Math.Round(violations[n].Average(), 6),
            slo_violations_worst = Math.Round(violations[n].Max(), 6),
            tasks_over_slo = tasksOver[n],
            seeds_within_99 = violations[n].Count(v => v <= 0.01),
            vs_static_peak_mean = Math.Round(costShares[n].Average(), 4),
            vs_static_peak_worst = Math.Round(costShares[n].Max(), 4),
        }).ToList();
        if (asJson)
        {
            return new { seeds, first_seed = scenario.Seed, policies = rows };
        }

        var table = new Table().AddColumns(
            "policy", "SLO violations mean", "worst seed", "tasks over SLO (all seeds)", "seeds with >= 99 % in SLO", "worker-s vs static-peak mean", "worst seed");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var r in rows)
        {
            table.AddRow(
                r.name,
                P(r.slo_violations_mean, "F3"),
                P(r.slo_violations_worst, "F3"),
                r.tasks_over_slo.ToString("N0", CultureInfo.InvariantCulture),
                $"{r.seeds_within_99}/{seeds}",
                P(r.vs_static_peak_mean, "F1"),
                P(r.vs_static_peak_worst, "F1"));
        }

        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"over seeds {scenario.Seed}..{scenario.Seed + seeds - 1}:"));
        AnsiConsole.Write(table);
        return rows;
    }

    private static string P(double share, string format) => (share * 100).ToString(format, CultureInfo.InvariantCulture) + " %";
}
