using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WorkFleet.Lab.Bench;
using WorkFleet.Lab.Output;
using WorkFleet.CommandLine;

namespace WorkFleet.Lab.Commands;

/// <summary>
/// <c>workfleet-lab bench-strategies</c>: the simulator's scenario on the real stack (RabbitMQ + PostgreSQL from the
/// configuration), one strategy after another, beside the simulator's prediction. Exit codes: 0 every task
/// completed, 1 some failed or were lost, 2 bad options, 3 the broker or database is unreachable.
/// </summary>
public static class BenchStrategiesCommand
{
    private static readonly StrategyBenchSettings Defaults = StrategyBenchSettings.Default;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var strategies = ValueOptions.Create("--strategies", $"Comma-separated dispatcher strategies, run in turn (default {string.Join(",", Defaults.Strategies)})");
        var speeds = ValueOptions.Create("--speeds", "Comma-separated worker speeds = weights; capacity 2 x speed (default 1,1,2,4)");
        var tasks = ValueOptions.Create("--tasks", "Tasks per strategy (default 400)");
        var load = ValueOptions.Create("--load", "Target utilization of the fleet, in (0, 1] (default 0.5)");
        var costMs = ValueOptions.Create("--cost-ms", "Mean task run time on a worker of speed 1, in ms (default 1000)");
        var costCv = ValueOptions.Create("--cost-cv", "Coefficient of variation of the lognormal task cost (default 1)");
        var seed = ValueOptions.Create("--seed", "Workload seed, the same for every strategy and the simulator (default 1)");
        var hintCv = ValueOptions.Create("--hint-cv", "Noise (lognormal cv) of each task's expectedCost hint, or 'none' for no hints (default 0.3; only cost-aware reads them)");
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var command = new Command("bench-strategies", "Run the simulator's scenario on the real RabbitMQ + PostgreSQL per strategy and compare with the simulator")
        {
            strategies, speeds, tasks, load, costMs, costCv, seed, hintCv, json,
        };

        // Unknown tokens reach the action, which rejects them with exit code 2 like every other bad option.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            StrategyBenchSettings settings;
            try
            {
                if (result.UnmatchedTokens.Count > 0)
                {
                    throw new FormatException($"Unknown option or argument '{result.UnmatchedTokens[0]}'.");
                }

                settings = new StrategyBenchSettings(
                    ValueOptions.Text(result, strategies) is { } s ? s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : Defaults.Strategies,
                    ValueOptions.Text(result, speeds) is { } sp ? [.. sp.Split(',', StringSplitOptions.TrimEntries).Select(v => ValueOptions.Number(speeds, v))] : Defaults.Speeds,
                    ValueOptions.Text(result, tasks) is { } t ? ValueOptions.Int(tasks, t) : Defaults.Tasks,
                    ValueOptions.Text(result, load) is { } l ? ValueOptions.Number(load, l) : Defaults.Load,
                    ValueOptions.Text(result, costMs) is { } c ? ValueOptions.Number(costMs, c) : Defaults.CostMs,
                    ValueOptions.Text(result, costCv) is { } cv ? ValueOptions.Number(costCv, cv) : Defaults.CostCv,
                    ValueOptions.Text(result, seed) is { } n ? ValueOptions.Int(seed, n) : Defaults.Seed,
                    ValueOptions.Text(result, hintCv) is { } h ? (h == "none" ? null : ValueOptions.Number(hintCv, h)) : Defaults.HintCv);
                if (settings.Problem() is { } problem)
                {
                    throw new FormatException(problem);
                }
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            var stack = CliHost.CreateBuilder().Configuration;
            if (await StackPreflight.CheckAsync(stack, cancellationToken) is { } unreachable)
            {
                await Console.Error.WriteLineAsync(unreachable);
                return 3;
            }

            var asJson = result.GetValue(json);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"bench-strategies: {settings.Strategies.Count} strategies x {settings.Tasks} tasks on RabbitMQ + PostgreSQL ..."));
            var report = await StrategyBench.RunAsync(
                settings,
                stack,
                run => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {run.Strategy}: {run.Completed} completed, {run.Failed} failed, {run.Lost} lost; p99 {run.Real.P99Ms:F0} ms (simulator {run.Simulated.P99Ms:F0} ms); arrivals {run.AchievedRatePerSecond:F1}/s of {run.TargetRatePerSecond:F1}/s; overhead p50 {run.OverheadP50Ms:F0} ms")),
                cancellationToken);
            if (asJson)
            {
                Json.WriteLine(report);
            }
            else
            {
                Print(report);
            }

            return report.Runs.All(r => r.Completed == settings.Tasks) ? 0 : 1;
        });
        return command;
    }

    private static void Print(StrategyBenchReport report)
    {
        if (Console.IsOutputRedirected)
        {
            // A pipe or file has no width; Spectre would assume 80 columns and wrap every cell.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        var s = report.Settings;
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WorkFleet bench-strategies: {s.Speeds.Count} workers (speeds {string.Join(",", s.Speeds)}; capacity 2 x speed), load {s.Load:0.###}, {s.Tasks} tasks, cost cv {s.CostCv:0.###} (mean {s.CostMs:0.#} ms at speed 1), heartbeat 1000 ms, seed {s.Seed}"));
        AnsiConsole.WriteLine("real: RabbitMQ + PostgreSQL, latency = submit to outcome at the client");
        AnsiConsole.Write(LatencyTable.Create(report.Runs.Select(r => (r.Strategy, r.Real)), report.LowerBoundMs));
        AnsiConsole.WriteLine("simulator: the same workload");
        AnsiConsole.Write(LatencyTable.Create([.. report.Runs.Select(r => (r.Strategy, r.Simulated)), ("shared-queue (ideal)", report.SimulatedSharedQueue)], report.LowerBoundMs));
        foreach (var r in report.Runs)
        {
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Strategy}: {r.Completed} completed, {r.Failed} failed, {r.Lost} lost; arrivals {r.AchievedRatePerSecond:F1} tasks/s (target {r.TargetRatePerSecond:F1}), submit lag p99 {r.SubmitLagP99Ms:F1} ms; overhead (latency - cost/speed) p50 {r.OverheadP50Ms:F1} ms, p99 {r.OverheadP99Ms:F1} ms"));
        }

        AnsiConsole.WriteLine("ranking by p99, best first: real " + string.Join(" < ", report.RealRanking) + "; simulator " + string.Join(" < ", report.SimulatedRanking));
        AnsiConsole.WriteLine(report.RankingsAgree ? "rankings agree" : "rankings DISAGREE on: " + string.Join("; ", Flips(report)));
    }

    /// <summary>Pairs the two rankings order differently, with how far apart each side put them.</summary>
    private static IEnumerable<string> Flips(StrategyBenchReport report)
    {
        var runs = report.Runs;
        for (var i = 0; i < runs.Count; i++)
        {
            for (var j = i + 1; j < runs.Count; j++)
            {
                var (a, b) = (runs[i], runs[j]);
                if (Math.Sign(a.Real.P99Ms - b.Real.P99Ms) != Math.Sign(a.Simulated.P99Ms - b.Simulated.P99Ms))
                {
                    yield return string.Create(CultureInfo.InvariantCulture,
                        $"{a.Strategy} vs {b.Strategy} (p99 gap: simulator {Gap(a.Simulated.P99Ms, b.Simulated.P99Ms):P1}, real {Gap(a.Real.P99Ms, b.Real.P99Ms):P1})");
                }
            }
        }
    }

    private static double Gap(double x, double y) => Math.Abs(x - y) / Math.Min(x, y);
}
