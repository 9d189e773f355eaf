using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using WorkFleet.CommandLine;
using WorkFleet.Simulation.Autoscaling;
using WorkFleet.Simulation.Plotting;

namespace WorkFleet.Lab.Commands;

/// <summary>
/// <c>workfleet-lab simulate-autoscaling</c>: every fleet-sizing policy (static, reactive, predictive, threshold) on one
/// simulated load trace with a worker start-up delay. Deterministic: the same seed, the same numbers.
/// </summary>
public static class SimulateAutoscalingCommand
{
    private static readonly AutoscalingScenario Defaults = new();

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var trace = ValueOptions.Create("--trace", "Load shape: ramp, sine (one diurnal cycle, default), step, spike, sine-spikes (the cycle with two spikes to the peak)");
        var baseRate = ValueOptions.Create("--base-rate", $"Lowest arrival rate, tasks/s (default {Defaults.Trace.BaseRate})");
        var peakRate = ValueOptions.Create("--peak-rate", $"Highest arrival rate, tasks/s (default {Defaults.Trace.PeakRate})");
        var duration = ValueOptions.Create("--duration", $"Trace length in seconds (default {Defaults.Trace.DurationSeconds})");
        var spike = ValueOptions.Create("--spike-seconds", $"Length of the spike of the spike trace, seconds (default {Defaults.Trace.SpikeSeconds})");
        var spikeFactor = ValueOptions.Create("--spike-factor", "sine-spikes only: a spike multiplies the diurnal rate by this factor instead of jumping to the peak rate (default: to the peak)");
        var cost = ValueOptions.Create("--cost", $"Mean task run time, seconds (default {Defaults.MeanCostSeconds})");
        var costCv = ValueOptions.Create("--cost-cv", $"Coefficient of variation of the lognormal run time (default {Defaults.CostCv})");
        var capacity = ValueOptions.Create("--capacity", $"Tasks one worker runs at once (default {Defaults.WorkerCapacity})");
        var startup = ValueOptions.Create("--startup", $"Worker start-up delay, seconds; also the forecast horizon (default {Defaults.StartupSeconds})");
        var period = ValueOptions.Create("--period", $"Control-loop period, seconds (default {Defaults.ControlPeriodSeconds})");
        var downWindow = ValueOptions.Create("--scale-down-window", $"Scale-down stabilization window of the HPA-based policies, seconds (default {Defaults.ScaleDownWindowSeconds})");
        var signal = ValueOptions.Create("--signal", "Signal of the reactive, predictive and threshold policies: demand (arrival rate x mean run time + backlog drained within the SLO; default) or utilization ((running + waiting) / capacity)");
        var drain = ValueOptions.Create("--drain", "Demand signal: seconds within which the backlog term empties the waiting tasks (default: SLO + start-up)");
        var holtBeta = ValueOptions.Create("--holt-beta", $"Trend smoothing factor of predictive-holt, in (0, 1] (default {Defaults.HoltBeta})");
        var slo = ValueOptions.Create("--slo", $"Wait SLO, seconds (default {Defaults.SloWaitSeconds})");
        var target = ValueOptions.Create("--target", $"Target utilization in (0, 1] (default {Defaults.TargetUtilization})");
        var min = ValueOptions.Create("--min-workers", $"Fewest workers of an autoscaled fleet (default {Defaults.MinWorkers})");
        var max = ValueOptions.Create("--max-workers", $"Most workers of an autoscaled fleet (default {Defaults.MaxWorkers})");
        var seed = ValueOptions.Create("--seed", $"Random seed (default {Defaults.Seed})");
        var seeds = ValueOptions.Create("--seeds", "Also run every policy on this many seeds (--seed and the ones after it) and print mean and worst SLO violations and cost (default 1: no summary)");
        var policies = ValueOptions.Create("--policies", $"Comma-separated policies (default: all): {string.Join(", ", AutoscalingPolicies.Names)}");
        var plot = ValueOptions.Create("--plot", "Also write an SVG chart of workers over time per policy, with the workers the load needs, to this file");
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var command = new Command("simulate-autoscaling", "Simulate a load trace under each autoscaling policy and compare latency, SLO violations and cost")
        {
            trace, baseRate, peakRate, duration, spike, spikeFactor, cost, costCv, capacity, startup, period, downWindow, signal, drain, holtBeta, slo, target, min, max, seed, seeds, policies, plot, json,
        };

        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            AutoscalingScenario scenario;
            IReadOnlyList<string> names;
            string? plotPath;
            int seedCount;
            try
            {
                if (result.UnmatchedTokens.Count > 0)
                {
                    throw new FormatException($"Unknown option or argument '{result.UnmatchedTokens[0]}'.");
                }

                var d = Defaults.Trace;
                var loadTrace = new LoadTrace(
                    ValueOptions.Text(result, trace) is { } shape ? Shape(trace, shape) : d.Shape,
                    ValueOptions.Text(result, baseRate) is { } b ? ValueOptions.Number(baseRate, b, v => v >= 0, "at least 0") : d.BaseRate,
                    ValueOptions.Text(result, peakRate) is { } p ? ValueOptions.Number(peakRate, p, v => v > 0, "above 0") : d.PeakRate,
                    ValueOptions.Text(result, duration) is { } du ? ValueOptions.Number(duration, du, v => v is > 0 and <= 1_000_000, "in (0, 1000000]") : d.DurationSeconds,
                    ValueOptions.Text(result, spike) is { } sp ? ValueOptions.Number(spike, sp, v => v > 0, "above 0") : d.SpikeSeconds,
                    ValueOptions.Text(result, spikeFactor) is { } sf ? ValueOptions.Number(spikeFactor, sf, v => v is >= 1 and <= 100, "in [1, 100]") : d.SpikeFactor);
                var minWorkers = ValueOptions.Text(result, min) is { } mn ? ValueOptions.Int(min, mn, 0, 100_000) : Defaults.MinWorkers;
                var maxWorkers = ValueOptions.Text(result, max) is { } mx ? ValueOptions.Int(max, mx, Math.Max(1, minWorkers), 100_000) : Math.Max(Defaults.MaxWorkers, minWorkers);
                scenario = new AutoscalingScenario
                {
                    Trace = loadTrace,
                    MeanCostSeconds = ValueOptions.Text(result, cost) is { } c ? ValueOptions.Number(cost, c, v => v > 0, "above 0") : Defaults.MeanCostSeconds,
                    CostCv = ValueOptions.Text(result, costCv) is { } cv ? ValueOptions.Number(costCv, cv, v => v is >= 0 and <= 10, "in [0, 10]") : Defaults.CostCv,
                    WorkerCapacity = ValueOptions.Text(result, capacity) is { } cap ? ValueOptions.Int(capacity, cap, 1, 100_000) : Defaults.WorkerCapacity,
                    StartupSeconds = ValueOptions.Text(result, startup) is { } st ? ValueOptions.Number(startup, st, v => v >= 0, "at least 0") : Defaults.StartupSeconds,
                    ControlPeriodSeconds = ValueOptions.Text(result, period) is { } pe ? ValueOptions.Number(period, pe, v => v >= 0.1, "at least 0.1") : Defaults.ControlPeriodSeconds,
                    ScaleDownWindowSeconds = ValueOptions.Text(result, downWindow) is { } dw ? ValueOptions.Number(downWindow, dw, v => v >= 0, "at least 0") : Defaults.ScaleDownWindowSeconds,
                    Signal = ValueOptions.Text(result, signal) is { } sg ? Signal(signal, sg) : Defaults.Signal,
                    BacklogDrainSeconds = ValueOptions.Text(result, drain) is { } dr ? ValueOptions.Number(drain, dr, v => v > 0, "above 0") : Defaults.BacklogDrainSeconds,
                    HoltBeta = ValueOptions.Text(result, holtBeta) is { } hb ? ValueOptions.Number(holtBeta, hb, v => v is > 0 and <= 1, "in (0, 1]") : Defaults.HoltBeta,
                    SloWaitSeconds = ValueOptions.Text(result, slo) is { } sl ? ValueOptions.Number(slo, sl, v => v > 0, "above 0") : Defaults.SloWaitSeconds,
                    TargetUtilization = ValueOptions.Text(result, target) is { } t ? ValueOptions.Number(target, t, v => v is > 0 and <= 1, "in (0, 1]") : Defaults.TargetUtilization,
                    MinWorkers = minWorkers,
                    MaxWorkers = maxWorkers,
                    Seed = ValueOptions.Text(result, seed) is { } n ? ValueOptions.Int(seed, n, int.MinValue, int.MaxValue) : Defaults.Seed,
                };
                seedCount = ValueOptions.Text(result, seeds) is { } sc ? ValueOptions.Int(seeds, sc, 1, 1000) : 1;
                names = ValueOptions.Text(result, policies) is { } list ? Policies(policies, list) : AutoscalingPolicies.Names;
                plotPath = ValueOptions.Text(result, plot) is { } path ? PlotPath(plot, path) : null;
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            var asJson = result.GetValue(json);
            var simulator = new AutoscalingSimulator(scenario);
            var results = new List<AutoscalingResult>();
            foreach (var name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stopwatch = Stopwatch.StartNew();
                results.Add(simulator.Run(name));
                if (!asJson)
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}: simulated in {stopwatch.Elapsed.TotalSeconds:F2} s"));
                }
            }

            if (plotPath is not null)
            {
                await using var writer = File.CreateText(plotPath);
                AutoscalingPlot.Write(writer, scenario, results, "WorkFleet simulate-autoscaling: workers over time", Describe(scenario, simulator));
            }

            if (!asJson)
            {
                Print(scenario, simulator, results);
            }

            var summary = seedCount > 1 ? AutoscalingSeedSummary.Run(scenario, names, seedCount, asJson, cancellationToken) : null;
            if (asJson)
            {
                Json.WriteLine(new { tasks = simulator.Tasks.Count, policies = results.Select(ToJson), seeds = summary });
            }
            else
            {
                if (plotPath is not null)
                {
                    AnsiConsole.WriteLine($"plot written to {plotPath}");
                }

            }

            return 0;
        });
        return command;
    }

    private static LoadShape Shape(Option option, string text) => text switch
    {
        "ramp" => LoadShape.Ramp,
        "sine" => LoadShape.Sine,
        "step" => LoadShape.Step,
        "spike" => LoadShape.Spike,
        "sine-spikes" => LoadShape.SineSpikes,
        _ => throw new FormatException($"{option.Name} '{text}' is unknown; valid: ramp, sine, step, spike, sine-spikes."),
    };

    private static AutoscalingSignal Signal(Option option, string text) => text switch
    {
        "demand" => AutoscalingSignal.Demand,
        "utilization" => AutoscalingSignal.Utilization,
        _ => throw new FormatException($"{option.Name} '{text}' is unknown; valid: demand, utilization."),
    };

    private static string[] Policies(Option option, string text)
    {
        var chosen = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (chosen.Length == 0)
        {
            throw new FormatException($"{option.Name} needs at least one policy.");
        }

        return chosen.FirstOrDefault(name => !AutoscalingPolicies.Names.Contains(name, StringComparer.Ordinal)) is { } unknown
            ? throw new FormatException($"{option.Name}: '{unknown}' is unknown; valid: {string.Join(", ", AutoscalingPolicies.Names)}.")
            : [.. chosen.Distinct(StringComparer.Ordinal)];
    }

    private static string PlotPath(Option option, string text)
    {
        if (!text.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{option.Name}: '{text}' must end in .svg (the chart is SVG; convert it with e.g. rsvg-convert).");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(text));
        return directory is not null && !Directory.Exists(directory)
            ? throw new FormatException($"{option.Name}: the directory of '{text}' does not exist.")
            : text;
    }

    private static object ToJson(AutoscalingResult r) => new
    {
        name = r.Policy,
        completed = r.Completed,
        p50_s = Math.Round(r.P50LatencySeconds, 3),
        p99_s = Math.Round(r.P99LatencySeconds, 3),
        p99_wait_s = Math.Round(r.P99WaitSeconds, 3),
        slo_violations = Math.Round(r.SloViolationShare, 6),
        worker_seconds = Math.Round(r.WorkerSeconds, 1),
        scale_events = r.ScaleEvents,
        peak_workers = r.PeakWorkers,
    };

    private static void Print(AutoscalingScenario scenario, AutoscalingSimulator simulator, IReadOnlyList<AutoscalingResult> results)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        var staticPeak = results.FirstOrDefault(r => r.Policy == AutoscalingPolicies.StaticPeak);
        var table = new Table().AddColumns("policy", "p50 (s)", "p99 (s)", "p99 wait (s)", "SLO violations", "worker-s", "vs static-peak", "scale events", "peak workers");
        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var r in results)
        {
            table.AddRow(
                r.Policy,
                F(r.P50LatencySeconds, "F2"),
                F(r.P99LatencySeconds, "F2"),
                F(r.P99WaitSeconds, "F2"),
                F(r.SloViolationShare * 100, "F2") + " %",
                F(r.WorkerSeconds, "N0"),
                staticPeak is null ? "-" : F(r.WorkerSeconds / staticPeak.WorkerSeconds * 100, "F0") + " %",
                F(r.ScaleEvents, "N0"),
                F(r.PeakWorkers, "N0"));
        }

        AnsiConsole.WriteLine("WorkFleet simulate-autoscaling: " + Describe(scenario, simulator));
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency = wait + run; SLO violation = waited longer than {scenario.SloWaitSeconds:0.##} s; worker-s = workers in the fleet (starting, ready, draining) x time until the last task finished"));
    }

    private static string Describe(AutoscalingScenario s, AutoscalingSimulator simulator)
    {
        var t = s.Trace;
        var shape = t.Shape == LoadShape.SineSpikes ? "sine-spikes" : t.Shape.ToString().ToLowerInvariant();
        return string.Create(CultureInfo.InvariantCulture,
            $"{shape} trace {t.BaseRate:0.##}..{t.PeakRate:0.##} tasks/s over {t.DurationSeconds:0.#} s{Spikes(t)} ({simulator.Tasks.Count} tasks), run time mean {s.MeanCostSeconds:0.###} s cv {s.CostCv:0.##}, capacity {s.WorkerCapacity}/worker, start-up {s.StartupSeconds:0.#} s, control every {s.ControlPeriodSeconds:0.#} s, scale-down window {s.ScaleDownWindowSeconds:0.#} s, signal {s.Signal.ToString().ToLowerInvariant()}, backlog drain {s.EffectiveBacklogDrainSeconds:0.#} s, holt β {s.HoltBeta:0.##}, target {s.TargetUtilization:0.##}, workers {s.MinWorkers}..{s.MaxWorkers}, seed {s.Seed}");
    }

    private static string Spikes(LoadTrace t) => t.Shape switch
    {
        LoadShape.SineSpikes when t.SpikeFactor is { } factor => string.Create(CultureInfo.InvariantCulture, $", spikes x{factor:0.##} for {t.SpikeSeconds:0.#} s at 1/4 and 3/4"),
        LoadShape.SineSpikes => string.Create(CultureInfo.InvariantCulture, $", spikes to the peak for {t.SpikeSeconds:0.#} s at 1/4 and 3/4"),
        LoadShape.Spike => string.Create(CultureInfo.InvariantCulture, $", spike of {t.SpikeSeconds:0.#} s"),
        _ => string.Empty,
    };

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
