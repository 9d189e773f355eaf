using System.CommandLine;
using WorkFleet.Messaging.Security;
using WorkFleet.Shared;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet broker-definitions</c>: writes the RabbitMQ definitions document (for <c>load_definitions</c>) with one
/// user per role, <c>{prefix}{role}</c>, and that role's permissions; each password comes from
/// <c>WORKFLEET_RABBITMQ_{ROLE}_PASSWORD</c> (or its <c>_FILE</c> variant) and only its salted hash is written.
/// <c>--worker-id ID</c> (repeatable) adds a user per worker, <c>{prefix}worker-{ID}</c>, that may use only that worker's
/// queues, with its password in <c>WORKFLEET_RABBITMQ_WORKER_{ID}_PASSWORD</c>.
/// </summary>
public static class BrokerDefinitionsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the document (default: standard output)" };
        var virtualHost = new Option<string>("--vhost") { Description = "The fleet's virtual host", DefaultValueFactory = _ => "/" };
        var prefix = new Option<string>("--user-prefix") { Description = "User names are this prefix and the role", DefaultValueFactory = _ => "workfleet-" };
        var workerIds = new Option<string[]>("--worker-id")
        {
            Description = "Also a user per worker, {prefix}worker-{id}, that may use only that worker's queues (repeatable)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("broker-definitions", "Write the RabbitMQ definitions: one user per role with its permissions") { output, virtualHost, prefix, workerIds };
        command.SetAction(async (result, cancellationToken) =>
        {
            var users = BrokerRoles.All.Keys
                .Select(role => (Role: role, WorkerId: (string?)null, Variable: PasswordVariable(role)))
                .Concat((result.GetValue(workerIds) ?? []).Distinct(StringComparer.Ordinal).Select(id => (Role: BrokerRoles.Worker, WorkerId: (string?)id, Variable: WorkerPasswordVariable(id))))
                .Select(u => (u.Role, u.WorkerId, u.Variable, Password: SecretFiles.FromEnvironment(u.Variable)))
                .ToList();
            var missing = users.Where(u => string.IsNullOrEmpty(u.Password)).Select(u => u.Variable).ToList();
            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync($"Set {string.Join(", ", missing)} (or the _FILE variants): each role's broker password.");
                return 2;
            }

            string document;
            try
            {
                document = RabbitMqDefinitions.Create(result.GetValue(virtualHost)!, users.Select(u =>
                    new BrokerUser(result.GetValue(prefix) + u.Role + (u.WorkerId is null ? "" : "-" + u.WorkerId), u.Role, u.Password!, u.WorkerId)));
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, document, cancellationToken);
            }
            else
            {
                Console.WriteLine(document);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The environment variable holding <paramref name="role"/>'s password, e.g. WORKFLEET_RABBITMQ_WORKER_PASSWORD.</summary>
    public static string PasswordVariable(string role) => $"WORKFLEET_RABBITMQ_{role.ToUpperInvariant()}_PASSWORD";

    /// <summary>
    /// The environment variable holding the password of the user of worker <paramref name="workerId"/>, e.g.
    /// WORKFLEET_RABBITMQ_WORKER_GPU_1_PASSWORD for <c>gpu-1</c> (characters other than letters and digits become '_').
    /// </summary>
    public static string WorkerPasswordVariable(string workerId)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        var name = string.Concat(workerId.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_'));
        return $"WORKFLEET_RABBITMQ_WORKER_{name}_PASSWORD";
    }
}
