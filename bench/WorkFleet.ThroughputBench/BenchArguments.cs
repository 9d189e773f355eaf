using System.Globalization;

namespace WorkFleet.ThroughputBench;

/// <summary>The command line of a bench run: the mode and its options.</summary>
public sealed record BenchArguments
{
    /// <summary>How to call the bench.</summary>
    public const string Usage = """
        usage: WorkFleet.ThroughputBench <mode> [options]
          pipeline   --tasks 5000 --rounds 5      raw MassTransit pipeline, the same storing every result, and WorkFleet
                     [--dispatchers 1]            end to end (its defaults, then with PrefetchPerSlot --prefetch,
                     [--prefetch 1]               default 1) with that many dispatchers, alternating rounds
          backlog    --tasks 100000 --small 5000  WorkFleet on a backlog published before it starts, vs a small one
                     [--prefetch 0]               with that PrefetchPerSlot (default 0, WorkFleet's default)
          heartbeats --workers 1000 --seconds 30  dispatcher and PostgreSQL CPU for simulated heartbeats (1/s each)
        common options:
          --rabbitmq host:port:user:pass   use a running broker (default: start workfleet/rabbitmq:local)
          --vhost <name>                   virtual host on that broker (default /)
          --postgres <connection string>   use a running server; a database per round is created there
                                           (default: start workfleet/postgres:local)
          --warmup 2000                    tasks each fresh fleet runs before it is measured (0: measure cold)
          --json                           also print the report as one JSON line
          --per-task-messages              WorkFleet's producer sends one SubmitTask per task and takes one
                                           TaskFinished per task (default: as WorkFleetClient does, submits packed
                                           into SubmitTaskBatch, outcomes accepted in TaskFinishedBatch)
          --timeout <seconds>              per round (default 600 or 20 ms per task, whichever is longer)
        """;

    /// <summary><c>pipeline</c>, <c>backlog</c> or <c>heartbeats</c>.</summary>
    public required string Mode { get; init; }

    /// <summary>Tasks per round (pipeline) or in the large backlog (backlog).</summary>
    public int Tasks { get; init; }

    /// <summary>Measured rounds of each kind (pipeline); a warm-up round of each precedes them.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>
    /// Tasks each fresh fleet runs before its measurement starts, so the measurement sees steady-state code (on a
    /// busy machine the runtime's tiered JIT needs many seconds to compile the hot paths at full optimization).
    /// </summary>
    public int Warmup { get; init; } = 2000;

    /// <summary>WorkFleet dispatchers sharing the submit queue (pipeline).</summary>
    public int Dispatchers { get; init; } = 1;

    /// <summary>The dispatcher's <c>PrefetchPerSlot</c>: of the prefetching WorkFleet pipeline (default 1), of backlog (default 0); null: the default.</summary>
    public int? Prefetch { get; init; }

    /// <summary>Tasks in the small backlog the large one is compared with.</summary>
    public int SmallBacklog { get; init; } = 5000;

    /// <summary>Simulated workers (heartbeats).</summary>
    public int SimulatedWorkers { get; init; } = 1000;

    /// <summary>Measured seconds (heartbeats).</summary>
    public int Seconds { get; init; } = 30;

    /// <summary>A running broker, <c>host:port:user:pass</c>, or null to start one.</summary>
    public string? RabbitMq { get; init; }

    /// <summary>The broker's virtual host for every round.</summary>
    public string VirtualHost { get; init; } = "/";

    /// <summary>A running PostgreSQL's connection string, or null to start one.</summary>
    public string? Postgres { get; init; }

    /// <summary>Print the report as JSON too.</summary>
    public bool Json { get; init; }

    /// <summary>
    /// Whether the producer sends WorkFleet one submit message per task and takes one outcome message per task, instead
    /// of packing submits and accepting batched outcomes as <c>WorkFleetClient</c> does (the raw pipelines always have
    /// one message per task).
    /// </summary>
    public bool PerTaskMessages { get; init; }

    /// <summary>Limit for one round, or null for the default of <see cref="TimeoutFor"/>.</summary>
    public TimeSpan? RoundTimeout { get; init; }

    /// <summary>The limit for a round of <paramref name="tasks"/> tasks: <c>--timeout</c>, else 600 s or 20 ms per task, whichever is longer.</summary>
    public TimeSpan TimeoutFor(int tasks) => RoundTimeout ?? TimeSpan.FromSeconds(Math.Max(600, tasks / 50.0));

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0] is not ("pipeline" or "backlog" or "heartbeats"))
        {
            throw new ArgumentException($"unknown mode '{(args.Count == 0 ? "" : args[0])}'");
        }

        var mode = args[0];
        var result = new BenchArguments { Mode = mode, Tasks = mode == "backlog" ? 100_000 : 5000 };
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--json")
            {
                result = result with { Json = true };
                continue;
            }

            if (name == "--per-task-messages")
            {
                result = result with { PerTaskMessages = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            result = name switch
            {
                "--tasks" => result with { Tasks = Positive(name, value) },
                "--warmup" => result with { Warmup = NonNegative(name, value) },
                "--rounds" => result with { Rounds = Positive(name, value) },
                "--dispatchers" => result with { Dispatchers = Positive(name, value) },
                "--small" => result with { SmallBacklog = Positive(name, value) },
                "--prefetch" => result with { Prefetch = NonNegative(name, value) },
                "--workers" => result with { SimulatedWorkers = Positive(name, value) },
                "--seconds" => result with { Seconds = Positive(name, value) },
                "--timeout" => result with { RoundTimeout = TimeSpan.FromSeconds(Positive(name, value)) },
                "--rabbitmq" => result with { RabbitMq = value },
                "--vhost" => result with { VirtualHost = value },
                "--postgres" => result with { Postgres = value },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return result;
    }

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{name} must be a whole number, got '{value}'");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, got '{value}'");
}
