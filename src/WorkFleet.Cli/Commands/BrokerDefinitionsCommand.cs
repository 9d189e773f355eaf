using System.CommandLine;
using WorkFleet.Messaging.Security;
using WorkFleet.Shared;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet broker-definitions</c>: writes the RabbitMQ definitions document (for <c>load_definitions</c>) with one
/// user per role, <c>{prefix}{role}</c>, and that role's permissions; each password comes from
/// <c>WORKFLEET_RABBITMQ_{ROLE}_PASSWORD</c> (or its <c>_FILE</c> variant) and only its salted hash is written.
/// </summary>
public static class BrokerDefinitionsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the document (default: standard output)" };
        var virtualHost = new Option<string>("--vhost") { Description = "The fleet's virtual host", DefaultValueFactory = _ => "/" };
        var prefix = new Option<string>("--user-prefix") { Description = "User names are this prefix and the role", DefaultValueFactory = _ => "workfleet-" };
        var command = new Command("broker-definitions", "Write the RabbitMQ definitions: one user per role with its permissions") { output, virtualHost, prefix };
        command.SetAction(async (result, cancellationToken) =>
        {
            var users = BrokerRoles.All.Keys.Select(role => (Role: role, Variable: PasswordVariable(role), Password: SecretFiles.FromEnvironment(PasswordVariable(role)))).ToList();
            var missing = users.Where(u => string.IsNullOrEmpty(u.Password)).Select(u => u.Variable).ToList();
            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync($"Set {string.Join(", ", missing)} (or the _FILE variants): each role's broker password.");
                return 2;
            }

            var document = RabbitMqDefinitions.Create(result.GetValue(virtualHost)!, users.Select(u => new BrokerUser(result.GetValue(prefix) + u.Role, u.Role, u.Password!)));
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
}
