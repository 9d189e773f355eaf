using System.Runtime.InteropServices;
using System.Text.Json;
using WorkFleet.ThroughputBench;
using WorkFleet.ThroughputBench.Modes;
using WorkFleet.ThroughputBench.Report;
using WorkFleet.ThroughputBench.Roles;
using WorkFleet.ThroughputBench.Servers;

if (args is ["role", .. var role])
{
    return await RoleCommand.RunAsync(role);
}

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(BenchArguments.Usage);
    return args.Length == 0 ? 2 : 0;
}

BenchArguments arguments;
try
{
    arguments = BenchArguments.Parse(args);
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync($"{exception.Message}{Environment.NewLine}{BenchArguments.Usage}");
    return 2;
}

// Ctrl+C and SIGTERM end the run through the token, so containers and child processes are removed on the way out.
using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

try
{
    Console.Error.WriteLine($"{arguments.Mode}: starting RabbitMQ and PostgreSQL…");
    await using var servers = await BenchServers.StartAsync(arguments, stop.Token);
    var bench = await BenchContext.CreateAsync(arguments, servers, stop.Token);
    await using var producer = bench.Producer;
    object report = arguments.Mode switch
    {
        "pipeline" => await PipelineMode.RunAsync(bench, r => Console.Error.WriteLine($"round {r.Round} {r.Pipeline}: {r.TasksPerSecond:F0} tasks/s"), stop.Token),
        "backlog" => await BacklogMode.RunAsync(bench, stop.Token),
        _ => await HeartbeatsMode.RunAsync(bench, stop.Token),
    };

    Console.WriteLine(report switch
    {
        PipelineReport pipeline => pipeline.ToMarkdown(),
        BacklogReport backlog => backlog.ToMarkdown(),
        HeartbeatsReport heartbeats => heartbeats.ToMarkdown(),
        _ => report.ToString(),
    });
    if (arguments.Json)
    {
        Console.WriteLine(JsonSerializer.Serialize(report, report.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("stopped");
    return 130;
}
catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException)
{
    await Console.Error.WriteLineAsync($"bench failed: {exception.Message}");
    return 1;
}

void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
