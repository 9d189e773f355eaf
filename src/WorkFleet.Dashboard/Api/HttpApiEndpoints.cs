using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dashboard.Security;
using WorkFleet.Dashboard.Status;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// The producers' HTTP API: <c>POST /api/tasks</c> and <c>POST /api/predict/{jobType}</c> (submit key),
/// <c>GET /api/tasks/{id}</c> with <c>?wait=</c> and <c>GET /api/tasks/events</c> (read key), and the OpenAPI document
/// at <c>/openapi/v1.json</c> (read key). Errors are RFC 7807 problem details.
/// </summary>
public static class HttpApiEndpoints
{
    /// <summary>Maps the endpoints; see the type's summary.</summary>
    public static IEndpointRouteBuilder MapWorkFleetHttpApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var submit = endpoints.MapGroup("/api").RequireAuthorization(DashboardPolicies.Submit).WithTags("tasks");
        submit.MapPost("/tasks", SubmitAsync)
            .Accepts<SubmitTask>("application/json")
            .Produces<TasksAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Submit one task (a JSON object) or a batch (an array); the task id is the idempotency key.");
        submit.MapPost("/predict/{jobType}", PredictAsync)
            .Accepts<object>("application/json")
            .Produces<Prediction>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Run one task of the job type with the body as its input and answer its result (504 after ?timeout=; ?expectedCost= its cost hint in ms).");

        var read = endpoints.MapGroup("/api").RequireAuthorization(DashboardPolicies.Read).WithTags("tasks");
        read.MapGet("/tasks/events", (HttpContext context, TaskEventStream stream) => stream.RunAsync(context))
            .Produces(StatusCodes.Status200OK, contentType: TaskEventStream.ContentType)
            .WithSummary("Server-sent events: one task-finished event per outcome from now on, keep-alive comments when idle.");
        read.MapGet("/tasks/{id}", GetTaskAsync)
            .Produces<TaskDetails>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A task's state; with ?wait=30s, once it has an outcome or the wait ends (at most WorkFleet:Dashboard:Api:MaxWait).");
        endpoints.MapOpenApi().RequireAuthorization(DashboardPolicies.Read);
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, TaskRequestReader reader, TaskSubmitter submitter, HttpApiOptions options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await RequestBody.ReadAsync(context, options.MaxRequestBytes, cancellationToken) is not { } body)
        {
            errors.AddTooLarge("$", string.Create(CultureInfo.InvariantCulture, $"The body is over the limit of {options.MaxRequestBytes} bytes ({HttpApiOptions.SectionName}:MaxRequestBytes)."));
            return Invalid(errors);
        }

        var tasks = reader.Read(body, errors);
        if (!errors.IsEmpty)
        {
            return Invalid(errors);
        }

        await submitter.SendAsync(tasks, cancellationToken);
        var pathBase = context.Request.PathBase.Value ?? "";
        var accepted = new TasksAccepted([.. tasks.Select(t => new AcceptedTask(t.TaskId, TaskLinks.Of(pathBase, t.TaskId)))]);
        return Results.Accepted(tasks.Count == 1 ? accepted.Tasks[0].Links.Self : null, accepted);
    }

    private static async Task<IResult> PredictAsync(
        string jobType, string? timeout, string? expectedCost, HttpContext context, TaskRequestReader reader, TaskSubmitter submitter, TaskOutcomeHub hub, OutcomeWaiter waiter,
        HttpApiOptions options, IOptions<DispatcherOptions> dispatcher, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var wait = Wait(timeout, "timeout", options.PredictTimeout, options, errors);
        if (await RequestBody.ReadAsync(context, dispatcher.Value.MaxSubmitBytes, cancellationToken) is not { } body)
        {
            errors.AddTooLarge("payload", string.Create(CultureInfo.InvariantCulture,
                $"The body is over the submit message limit of {dispatcher.Value.MaxSubmitBytes} bytes ({DispatcherOptions.SectionName}:MaxSubmitBytes)."));
            return Invalid(errors);
        }

        var task = reader.ReadPrediction(jobType, body, errors, expectedCost);
        if (task is null || !errors.IsEmpty)
        {
            return Invalid(errors);
        }

        using var watch = hub.Watch(task.TaskId);
        await submitter.SendAsync([task], cancellationToken);
        var links = TaskLinks.Of(context.Request.PathBase.Value ?? "", task.TaskId);
        var outcome = await waiter.WaitAsync(watch, task.TaskId, wait, cancellationToken);
        if (outcome is null)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status504GatewayTimeout,
                title: "No result within the timeout",
                detail: string.Create(CultureInfo.InvariantCulture, $"Task {task.TaskId} has no outcome after {wait.TotalSeconds:0.###} s; it keeps running: follow {links.Wait}."),
                extensions: new Dictionary<string, object?> { ["taskId"] = task.TaskId, ["links"] = links });
        }

        return outcome.Outcome == TaskOutcome.Succeeded
            ? Results.Ok(new Prediction(outcome.TaskId, outcome.Result, outcome.Attempt, outcome.WorkerId))
            : Failed(outcome, links);
    }

    private static async Task<IResult> GetTaskAsync(
        string id, string? wait, TaskLookup lookup, OutcomeWaiter waiter, HttpApiOptions options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!Guid.TryParse(id, out var taskId))
        {
            errors.Add("id", $"'{id}' is not a task id (a UUID).");
        }

        var waitFor = wait is null ? TimeSpan.Zero : Wait(wait, "wait", TimeSpan.Zero, options, errors);
        if (!errors.IsEmpty)
        {
            return Invalid(errors);
        }

        if (waitFor > TimeSpan.Zero)
        {
            await waiter.WaitAsync(taskId, waitFor, cancellationToken);
        }

        return await lookup.FindAsync(taskId, cancellationToken) is { } task
            ? Results.Json(task)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such task", detail: $"No task has id {taskId}.");
    }

    // The duration of query parameter name, capped at MaxWait; fallback when it is absent; a bad one is named in errors.
    private static TimeSpan Wait(string? text, string name, TimeSpan fallback, HttpApiOptions options, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback < options.MaxWait ? fallback : options.MaxWait;
        }

        if (DurationText.Parse(text) is not { } wait)
        {
            errors.Add(name, $"'{name}' {text} is not a duration such as 30s, 500ms or 2m.");
            return TimeSpan.Zero;
        }

        return wait < options.MaxWait ? wait : options.MaxWait;
    }

    private static IResult Invalid(FieldErrors errors) => Results.ValidationProblem(
        errors.ToDictionary(),
        statusCode: errors.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
        title: errors.TooLarge ? "Request too large" : "The request has invalid fields");

    private static IResult Failed(TaskFinished outcome, TaskLinks links) => Results.Problem(
        statusCode: FailureStatus.Of(outcome.ErrorKind),
        title: $"The task failed ({outcome.ErrorKind})",
        detail: outcome.Error,
        type: $"urn:workfleet:error:{outcome.ErrorKind}",
        extensions: new Dictionary<string, object?> { ["taskId"] = outcome.TaskId, ["errorKind"] = outcome.ErrorKind, ["attempt"] = outcome.Attempt, ["links"] = links });
}
