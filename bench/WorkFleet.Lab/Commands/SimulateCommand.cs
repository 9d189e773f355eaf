using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using WorkFleet.Balancing.CostAware;
using WorkFleet.CommandLine;
using WorkFleet.Lab.Bench;
using WorkFleet.Lab.Output;
using WorkFleet.Simulation;
using WorkFleet.Simulation.Plotting;

namespace WorkFleet.Lab.Commands;

/// <summary>
/// <c>workfleet-lab simulate</c>: every balancing strategy on one simulated fleet (stale heartbeats, late binding,
/// optional extra dispatchers) against the shared-queue ideal. Deterministic: the same seed, the same numbers.
/// </summary>
public static class SimulateCommand
{
    private static readonly SimulationScenario Defaults = new();

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var speeds = ValueOptions.Create("--speeds", "Comma-separated worker speeds (relative), e.g. 1,1,2,4 (default 1,1,2,4)");
        var workers = ValueOptions.Create("--workers", "Number of workers, cycling through --speeds (default: one per speed)");
        var capacity = ValueOptions.Create("--capacity", "Capacity of every worker (default 2 x speed, rounded, at least 1)");
        var load = ValueOptions.Create("--load", "Target utilization of the fleet, in (0, 2] (default 0.85)");
        var tasks = ValueOptions.Create("--tasks", "Number of tasks (default 20000)");
        var costCv = ValueOptions.Create("--cost-cv", "Coefficient of variation of the lognormal task cost (default 1.0)");
        var costMs = ValueOptions.Create("--cost-ms", "Mean task run time on a worker of speed 1, in ms (default 100)");
        var heartbeat = ValueOptions.Create("--heartbeat-ms", "Heartbeat period in ms (default 1000)");
        var dispatchers = ValueOptions.Create("--dispatchers", "Dispatchers sharing the fleet, each with its own view (default 1)");
        var sharing = ValueOptions.Create("--sharing", "How dispatchers see each other's work: broadcast (default, as production) or heartbeats (heartbeats only)");
        var broadcastMs = ValueOptions.Create("--broadcast-ms", "Delay of a broadcast between dispatchers, in ms (default 1)");
        var seed = ValueOptions.Create("--seed", "Random seed (default 1)");
        var hintCv = ValueOptions.Create("--hint-cv", "Tasks carry a cost hint: true cost x lognormal noise of this cv, e.g. 0.3 (default: no hints; the cost-aware strategies then learn a mean cost per job type)");
        var sizeCv = ValueOptions.Create("--size-cv", "Tasks carry a payload size: proportional to the true cost within each job type, x lognormal noise of this cv, e.g. 0.3 (default: no sizes); without hints the cost-aware strategies then learn cost against size per job type");
        var jobTypes = ValueOptions.Create("--job-types", "Comma-separated relative mean costs of the job types, e.g. 1,4,16 (default one type)");
        var aging = ValueOptions.Create("--aging", "Aging factor A of the cost-aware order: a task is due after A x its expected cost (default 1)");
        var headStart = ValueOptions.Create("--max-head-start-ms", "Longest head start H shorter tasks get over any task, in ms (default 5000)");
        var order = ValueOptions.Create("--order", "Order of waiting tasks for the cost-aware strategies: sjf (shortest expected cost first, with aging; default) or fifo");
        var loadInResults = new Option<bool>("--load-in-results") { Description = "Model results that carry the worker's load (a protocol variant; today only heartbeats do)" };
        var equalPriorities = new Option<bool>("--equal-submit-priorities") { Description = "Several cost-aware dispatchers take submits at random, each with its own line (default: by consumer priority, one line, as production)" };
        var strategies = ValueOptions.Create("--strategies", $"Comma-separated strategies to run (default: all); {FleetSimulator.SharedQueue} always runs as the reference");
        var plot = ValueOptions.Create("--plot", "Also write an SVG chart of p50/p95/p99 latency per strategy to this file");
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var command = new Command("simulate", "Simulate the fleet under each balancing strategy and compare latencies")
        {
            speeds, workers, capacity, load, tasks, costCv, costMs, heartbeat, dispatchers, sharing, broadcastMs, seed, hintCv, sizeCv, jobTypes, aging, headStart, order, loadInResults, equalPriorities, strategies, plot, json,
        };

        // Unknown tokens reach the action, which rejects them with exit code 2 like every other bad option.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            SimulationScenario scenario;
            IReadOnlyList<string> names;
            string? plotPath;
            try
            {
                if (result.UnmatchedTokens.Count > 0)
                {
                    throw new FormatException($"Unknown option or argument '{result.UnmatchedTokens[0]}'.");
                }

                var pattern = ValueOptions.Text(result, speeds) is { } s ? Speeds(s) : Defaults.Speeds;
                var workerCount = ValueOptions.Text(result, workers) is { } w ? ValueOptions.Int(workers, w, 1, 10_000_000) : pattern.Count;
                scenario = new SimulationScenario
                {
                    Speeds = [.. Enumerable.Range(0, workerCount).Select(i => pattern[i % pattern.Count])],
                    Capacity = ValueOptions.Text(result, capacity) is { } c ? ValueOptions.Int(capacity, c, 1, 1_000_000) : null,
                    Load = ValueOptions.Text(result, load) is { } l ? ValueOptions.Number(load, l, v => v is > 0 and <= 2, "in (0, 2]") : Defaults.Load,
                    TaskCount = ValueOptions.Text(result, tasks) is { } t ? ValueOptions.Int(tasks, t, 1, 100_000_000) : Defaults.TaskCount,
                    CostCv = ValueOptions.Text(result, costCv) is { } cv ? ValueOptions.Number(costCv, cv, v => v is >= 0 and <= 10, "in [0, 10]") : Defaults.CostCv,
                    CostUnitMs = ValueOptions.Text(result, costMs) is { } ms ? ValueOptions.Number(costMs, ms, v => v > 0, "above 0") : Defaults.CostUnitMs,
                    HeartbeatMs = ValueOptions.Text(result, heartbeat) is { } h ? ValueOptions.Number(heartbeat, h, v => v > 0, "above 0") : Defaults.HeartbeatMs,
                    Dispatchers = ValueOptions.Text(result, dispatchers) is { } d ? ValueOptions.Int(dispatchers, d, 1, 1024) : Defaults.Dispatchers,
                    Sharing = ValueOptions.Text(result, sharing) is { } sh ? Sharing(sharing, sh) : Defaults.Sharing,
                    BroadcastDelayMs = ValueOptions.Text(result, broadcastMs) is { } b ? ValueOptions.Number(broadcastMs, b, v => v >= 0, "at least 0") : Defaults.BroadcastDelayMs,
                    Seed = ValueOptions.Text(result, seed) is { } n ? ValueOptions.Int(seed, n, int.MinValue, int.MaxValue) : Defaults.Seed,
                    LoadInResults = result.GetValue(loadInResults),
                    EqualSubmitPriorities = result.GetValue(equalPriorities),
                    HintCv = ValueOptions.Text(result, hintCv) is { } hc ? ValueOptions.Number(hintCv, hc, v => v is >= 0 and <= 10, "in [0, 10]") : null,
                    PayloadSizeCv = ValueOptions.Text(result, sizeCv) is { } sc ? ValueOptions.Number(sizeCv, sc, v => v is >= 0 and <= 10, "in [0, 10]") : null,
                    JobTypeCosts = ValueOptions.Text(result, jobTypes) is { } jt ? Positives(jobTypes, jt) : Defaults.JobTypeCosts,
                    Aging = new AgingRule
                    {
                        AgingFactor = ValueOptions.Text(result, aging) is { } a ? ValueOptions.Number(aging, a, v => v > 0, "above 0") : Defaults.Aging.AgingFactor,
                        MaxHeadStart = ValueOptions.Text(result, headStart) is { } hs
                            ? TimeSpan.FromMilliseconds(ValueOptions.Number(headStart, hs, v => v is >= 0 and <= 1e9, "in [0, 1e9]"))
                            : Defaults.Aging.MaxHeadStart,
                        Order = ValueOptions.Text(result, order) is { } o ? Order(order, o) : Defaults.Aging.Order,
                    },
                };
                names = ValueOptions.Text(result, strategies) is { } list ? Strategies(list) : [.. FleetSimulator.StrategyNames, .. FleetSimulator.CostAwareNames];
                plotPath = ValueOptions.Text(result, plot) is { } p ? PlotPath(p) : null;
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            var asJson = result.GetValue(json);
            var simulator = new FleetSimulator(scenario);
            var results = new List<StrategyResult>();
            var timings = new List<(string Name, TimeSpan Elapsed)>();
            foreach (var name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stopwatch = Stopwatch.StartNew();
                results.Add(simulator.Run(name));
                timings.Add((name, stopwatch.Elapsed));
                if (!asJson)
                {
                    await Console.Error.WriteLineAsync($"{name}: simulated in {stopwatch.Elapsed.TotalSeconds:F2} s");
                }
            }

            if (plotPath is not null)
            {
                await using var writer = File.CreateText(plotPath);
                LatencyPlot.Write(writer, results, "WorkFleet simulate: latency per strategy", Describe(scenario));
            }

            if (asJson)
            {
                Json.WriteLine(new { strategies = results.Select(r => ToJson(r, results)) });
            }
            else
            {
                Print(scenario, simulator, results, timings, plotPath);
            }

            return 0;
        });
        return command;
    }

    private static double[] Speeds(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0
                ? value
                : throw new FormatException($"--speeds: '{part}' is not a positive number."))];

    private static double[] Positives(Option option, string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part => ValueOptions.Number(option, part, v => v > 0, "above 0"))];

    private static WaitingOrder Order(Option option, string text) => text switch
    {
        "sjf" => WaitingOrder.ShortestCostFirst,
        "fifo" => WaitingOrder.Fifo,
        _ => throw new FormatException($"{option.Name} '{text}' is unknown; valid: sjf, fifo."),
    };

    private static string[] Strategies(string text)
    {
        string[] known = [.. FleetSimulator.StrategyNames, .. FleetSimulator.CostAwareNames];
        var chosen = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (chosen.FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            throw new FormatException($"--strategies: '{unknown}' is unknown; valid: {string.Join(", ", known)}.");
        }

        return [.. chosen.Append(FleetSimulator.SharedQueue).Distinct(StringComparer.Ordinal)];
    }

    private static string PlotPath(string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(text));
        if (!text.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"--plot: '{text}' must end in .svg (the chart is SVG; convert it with e.g. rsvg-convert).");
        }

        return directory is not null && !Directory.Exists(directory)
            ? throw new FormatException($"--plot: the directory of '{text}' does not exist.")
            : text;
    }

    private static object ToJson(StrategyResult r, IReadOnlyList<StrategyResult> all)
    {
        var reference = all.FirstOrDefault(x => x.Name == FleetSimulator.SharedQueue);
        return new
        {
            name = r.Name,
            p50_ms = Math.Round(r.P50Ms, 3),
            p95_ms = Math.Round(r.P95Ms, 3),
            p99_ms = Math.Round(r.P99Ms, 3),
            mean_ms = Math.Round(r.MeanMs, 3),
            makespan_ms = Math.Round(r.MakespanMs, 3),
            lower_bound_ms = Math.Round(r.LowerBoundMs, 3),
            p99_floor_ms = Math.Round(r.P99FloorMs, 3),
            max_ms = Math.Round(r.MaxMs, 3),
            mean_wait_ms = Math.Round(r.MeanWaitMs, 3),
            utilization = Math.Round(r.Utilization, 4),
            p99_vs_shared_queue = reference is null ? (double?)null : Math.Round(r.P99Ms / reference.P99Ms, 4),
            completed = r.Completed,
        };
    }

    private static void Print(
        SimulationScenario scenario, FleetSimulator simulator, IReadOnlyList<StrategyResult> results, IReadOnlyList<(string Name, TimeSpan Elapsed)> timings, string? plotPath)
    {
        var reference = results.FirstOrDefault(r => r.Name == FleetSimulator.SharedQueue);
        if (Console.IsOutputRedirected)
        {
            // A pipe or file has no width; Spectre would assume 80 columns and wrap every cell.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        AnsiConsole.WriteLine("WorkFleet simulate: " + Describe(scenario));
        AnsiConsole.Write(LatencyTable.Create(results.Select(r => (r.Name, Latency(r))), simulator.LowerBoundMs, reference?.P99Ms, withMax: true));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"arrival rate {scenario.ArrivalsPerMs * 1000:F1} tasks/s, last arrival at {simulator.LastArrivalMs:N0} ms; bound = max over tasks of (arrival + cost / fastest speed), or total work / sum of speed x capacity if larger; p99/shared = p99 / shared-queue p99"));
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"p99 floor {simulator.P99FloorMs:N1} ms: the p99 of cost / fastest speed, below which no strategy's p99 can go (each task runs at least that long)"));
        AnsiConsole.WriteLine("run time: " + string.Join(", ", timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Elapsed.TotalSeconds:F2} s"))));
        if (plotPath is not null)
        {
            AnsiConsole.WriteLine($"plot written to {plotPath}");
        }
    }

    private static string Describe(SimulationScenario s)
    {
        var speeds = s.WorkerCount <= 12 ? string.Join(",", s.Speeds.Select(v => v.ToString(CultureInfo.InvariantCulture)))
            : string.Join(",", s.Speeds.Take(8).Select(v => v.ToString(CultureInfo.InvariantCulture))) + ",...";
        var capacity = s.Capacity is { } c ? c.ToString(CultureInfo.InvariantCulture) : "2 x speed";
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.WorkerCount} workers (speeds {speeds}; capacity {capacity}), load {s.Load:0.###}, {s.TaskCount} tasks, cost cv {s.CostCv:0.###} (mean {s.CostUnitMs:0.#} ms at speed 1), heartbeat {s.HeartbeatMs:0.#} ms{(s.LoadInResults ? " + load in results" : string.Empty)}{(s.JobTypeCosts.Count > 1 ? $", job types {string.Join(",", s.JobTypeCosts.Select(c => c.ToString(CultureInfo.InvariantCulture)))}" : string.Empty)}, {(s.HintCv is { } h ? $"hints (cv {h:0.###})" : s.PayloadSizeCv is { } z ? $"no hints (learned per type against payload size, size cv {z:0.###})" : "no hints (learned per type)")}, aging A {s.Aging.AgingFactor:0.###} H {s.Aging.MaxHeadStart.TotalMilliseconds:0} ms {(s.Aging.Order == WaitingOrder.Fifo ? "fifo" : "sjf")}, {s.Dispatchers} dispatcher(s){(s.Dispatchers > 1 ? (s.Sharing == DispatcherSharing.Broadcast ? $" sharing by broadcast ({s.BroadcastDelayMs:0.###} ms)" : " sharing by heartbeats only") + (s.EqualSubmitPriorities ? ", cost-aware submits at random" : ", cost-aware submits by priority") : string.Empty)}, seed {s.Seed}");
    }

    private static DispatcherSharing Sharing(Option option, string text) => text switch
    {
        "broadcast" => DispatcherSharing.Broadcast,
        "heartbeats" => DispatcherSharing.HeartbeatsOnly,
        _ => throw new FormatException($"{option.Name} '{text}' is unknown; valid: broadcast, heartbeats."),
    };

    /// <summary>The simulator's numbers as they are: the table rounds them when it formats them.</summary>
    private static LatencySummary Latency(StrategyResult r) => new(r.P50Ms, r.P95Ms, r.P99Ms, r.MeanMs, r.MakespanMs, r.Utilization) { MaxMs = r.MaxMs };
}
