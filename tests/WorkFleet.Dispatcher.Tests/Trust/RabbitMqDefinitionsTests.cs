using System.Text.Json;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Dispatcher.Tests.Trust;

public sealed class RabbitMqDefinitionsTests
{
    [Fact]
    public void HashPassword_MatchesTheBrokersWorkedExample()
    {
        // RabbitMQ's documentation (Credentials and Passwords, "computing a password hash"): salt 0x908DC60A, password
        // "test12". Checked independently here with `openssl dgst -sha256`.
        var stored = RabbitMqDefinitions.HashPassword("test12", [0x90, 0x8D, 0xC6, 0x0A]);

        Assert.Equal("kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR", stored);
    }

    [Fact]
    public void HashPassword_SaltsEachHashAfresh() =>
        Assert.NotEqual(RabbitMqDefinitions.HashPassword("same"), RabbitMqDefinitions.HashPassword("same"));

    [Fact]
    public void Create_HasEachUserWithItsRolesPermissions_NoClearPasswordsAndNoTags()
    {
        var json = RabbitMqDefinitions.Create("/", [new BrokerUser("wf-worker", BrokerRoles.Worker, "s3cret-w"), new BrokerUser("wf-dispatcher", BrokerRoles.Dispatcher, "s3cret-d")]);

        Assert.DoesNotContain("s3cret", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var users = document.RootElement.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal(["wf-worker", "wf-dispatcher"], users.Select(u => u.GetProperty("name").GetString()));
        Assert.All(users, u => Assert.Equal(0, u.GetProperty("tags").GetArrayLength()));
        var worker = document.RootElement.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("user").GetString() == "wf-worker");
        Assert.Equal(BrokerRoles.Of(BrokerRoles.Worker, "wf-worker").Read, worker.GetProperty("read").GetString());
        Assert.Equal("/", worker.GetProperty("vhost").GetString());
    }

    [Fact]
    public void Create_DuplicateOrUnknown_IsRefusedNamingIt()
    {
        Assert.Contains("'u'", Assert.Throws<ArgumentException>(() =>
            RabbitMqDefinitions.Create("/", [new BrokerUser("u", BrokerRoles.Worker, "a"), new BrokerUser("u", BrokerRoles.Producer, "b")])).Message, StringComparison.Ordinal);
        Assert.Contains("'root'", Assert.Throws<ArgumentException>(() =>
            RabbitMqDefinitions.Create("/", [new BrokerUser("u", "root", "a")])).Message, StringComparison.Ordinal);
    }
}
