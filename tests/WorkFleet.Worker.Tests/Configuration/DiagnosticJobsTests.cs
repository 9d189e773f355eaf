using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Jobs.BuiltIn.Diagnostics;
using WorkFleet.Messaging;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Tests.Configuration;

/// <summary>
/// Diagnostic jobs (<c>diagnostics.*</c>) run only where <c>WorkFleet:Worker:EnableDiagnosticJobs</c> is true: a worker
/// composed as the worker host composes it neither advertises nor runs them by default.
/// </summary>
[Trait("Category", "Security")]
public sealed class DiagnosticJobsTests
{
    [Fact]
    public async Task DiagnosticTask_SettingAbsent_NotAdvertisedAndRefusedAsUnknownJobType()
    {
        using var host = BuildWorkerHost(enable: null);
        var runtime = Runtime(host);

        var outcome = await Deadline.Within(Execute(host, runtime, SleepJobHandler.Type));

        Assert.DoesNotContain(runtime.JobTypes, DiagnosticJobTypes.IsDiagnostic);
        Assert.Contains("preprocess.tokenize", runtime.JobTypes);
        Assert.Null(outcome.Completed);
        Assert.Equal(ErrorKinds.UnknownJobType, outcome.Failed?.ErrorKind);
        Assert.False(outcome.Failed!.Retryable);
    }

    [Fact]
    public async Task DiagnosticTask_Enabled_AdvertisedAndRuns()
    {
        using var host = BuildWorkerHost(enable: true);
        var runtime = Runtime(host);

        var outcome = await Deadline.Within(Execute(host, runtime, SleepJobHandler.Type));

        Assert.Contains(SleepJobHandler.Type, runtime.JobTypes);
        Assert.Contains(FlakyJobHandler.Type, runtime.JobTypes);
        Assert.Null(outcome.Failed?.Error);
        Assert.Equal(1, outcome.Completed!.Result.GetProperty("sleptMs").GetInt32());
    }

    [Fact]
    public void JobTypes_NamesADiagnosticTypeWhileDisabled_StartFailsNamingBothSettings()
    {
        using var host = BuildWorkerHost(enable: false, jobTypes: [SleepJobHandler.Type]);

        var error = Assert.Throws<InvalidOperationException>(() => Runtime(host));

        Assert.Contains("WorkFleet:Worker:JobTypes", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Worker:EnableDiagnosticJobs", error.Message, StringComparison.Ordinal);
    }

    private static IHost BuildWorkerHost(bool? enable, string[]? jobTypes = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "InMemory",
            ["WorkFleet:Worker:WorkerId"] = "diag-1",
        };
        if (enable is { } value)
        {
            settings["WorkFleet:Worker:EnableDiagnosticJobs"] = value ? "true" : "false";
        }

        for (var i = 0; i < (jobTypes?.Length ?? 0); i++)
        {
            settings[$"WorkFleet:Worker:JobTypes:{i}"] = jobTypes![i];
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkFleetWorker();
        return builder.Build();
    }

    private static WorkerRuntime Runtime(IHost host)
    {
        // Creating the worker's endpoint contributor resolves its runtime, with the job types it advertises.
        _ = host.Services.GetServices<IEndpointContributor>().ToList();
        return Assert.Single(host.Services.GetRequiredService<WorkerRuntimes>().All);
    }

    private static Task<ExecutionOutcome> Execute(IHost host, WorkerRuntime runtime, string jobType)
    {
        runtime.OnReceived();
        var task = new ExecuteTask
        {
            TaskId = Guid.NewGuid(),
            Attempt = 1,
            WorkerId = runtime.WorkerId,
            JobType = jobType,
            Payload = JsonDocument.Parse("""{"ms":1}""").RootElement.Clone(),
        };
        return host.Services.GetRequiredService<TaskExecutor>().ExecuteAsync(runtime, task, CancellationToken.None);
    }
}
