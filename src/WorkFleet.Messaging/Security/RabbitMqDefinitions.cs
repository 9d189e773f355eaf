using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// A RabbitMQ definitions document (the JSON the broker imports at boot with <c>load_definitions</c>): the
/// fleet's virtual host and one user per role with that role's permissions from <see cref="BrokerRoles"/>,
/// and nothing else: no administrator, no <c>guest</c>. Passwords are stored as the broker's salted SHA-256
/// hashes, never in clear.
/// </summary>
public static class RabbitMqDefinitions
{
    private const string HashingAlgorithm = "rabbit_password_hashing_sha256";
    private const int SaltBytes = 4;

    /// <summary>The definitions for <paramref name="users"/> in <paramref name="virtualHost"/>, as indented JSON.</summary>
    /// <param name="virtualHost">The fleet's virtual host, e.g. <c>/</c>.</param>
    /// <param name="users">Each user's name, role (a key of <see cref="BrokerRoles.All"/>) and password.</param>
    public static string Create(string virtualHost, IEnumerable<BrokerUser> users)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(virtualHost);
        ArgumentNullException.ThrowIfNull(users);
        var list = users.ToList();
        var duplicate = list.GroupBy(u => u.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The user name '{duplicate.Key}' appears more than once.", nameof(users));
        }

        var document = new JsonObject
        {
            ["users"] = new JsonArray([.. list.Select(u => (JsonNode)new JsonObject
            {
                ["name"] = u.Name,
                ["password_hash"] = HashPassword(u.Password),
                ["hashing_algorithm"] = HashingAlgorithm,
                ["tags"] = new JsonArray(),
            })]),
            ["vhosts"] = new JsonArray(new JsonObject { ["name"] = virtualHost }),
            ["permissions"] = new JsonArray([.. list.Select(u =>
            {
                var permissions = u.Permissions;
                return (JsonNode)new JsonObject
                {
                    ["user"] = u.Name,
                    ["vhost"] = virtualHost,
                    ["configure"] = permissions.Configure,
                    ["write"] = permissions.Write,
                    ["read"] = permissions.Read,
                };
            })]),
            ["topic_permissions"] = new JsonArray(),
            ["parameters"] = new JsonArray(),
            ["global_parameters"] = new JsonArray(),
            ["policies"] = new JsonArray(),
            ["queues"] = new JsonArray(),
            ["exchanges"] = new JsonArray(),
            ["bindings"] = new JsonArray(),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// The broker's stored form of <paramref name="password"/>: base64 of a random 4-byte salt followed by
    /// SHA-256(salt + UTF-8 password), as <c>rabbit_password_hashing_sha256</c> computes it.
    /// </summary>
    public static string HashPassword(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return HashPassword(password, salt);
    }

    /// <summary>As <see cref="HashPassword(string)"/> with a given salt (for tests).</summary>
    public static string HashPassword(string password, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        byte[] digest = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. digest]);
    }
}
