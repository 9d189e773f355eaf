using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace WorkFleet.Contracts.Tests;

/// <summary>A broker timeout that is zero or negative stops the host at configuration, naming the setting.</summary>
public sealed class TransportTimeoutValidationTests
{
    [Theory]
    [InlineData("Heartbeat")]
    [InlineData("ConnectionTimeout")]
    [InlineData("OperationTimeout")]
    [InlineData("ConfirmTimeout")]
    [InlineData("EndpointRestartDelay")]
    [InlineData("DeliveryStopTimeout")]
    public void AddWorkFleetBus_TimeoutNotPositive_RefusedNamingTheSetting(string setting)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:RabbitMq:Password"] = "not-a-default-one",
            [$"WorkFleet:Transport:RabbitMq:{setting}"] = "00:00:00",
        });

        var failure = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetBus());

        Assert.Equal($"WorkFleet:Transport:RabbitMq:{setting} must be positive, got 00:00:00.", failure.Message);
    }
}
