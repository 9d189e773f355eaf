using MassTransit;
using MassTransit.Middleware;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// Moves a received message to its endpoint's <c>_error</c> or <c>_skipped</c> queue without the AMQP <c>user-id</c>
/// it arrived with, on every receive endpoint of the bus.
/// </summary>
/// <remarks>
/// MassTransit moves a message by publishing a copy of its properties, <c>user-id</c> included, and RabbitMQ refuses a
/// message whose <c>user-id</c> is not the publishing connection's user. Since every WorkFleet host stamps its user
/// (<see cref="SenderIdentity"/>), any message that failed or found no consumer at a host other than its sender's
/// closed the channel on its way to <c>_error</c>, came back and failed again, for ever: one bad submit from a producer
/// kept the dispatcher's submit endpoint restarting. The copy keeps the sender in the <see cref="SenderHeader"/> header.
/// </remarks>
public sealed class UserlessMoves : IEndpointConfigurationObserver
{
    /// <summary>The header of a moved message that names the broker user that sent it.</summary>
    public const string SenderHeader = "WorkFleet-Sent-By";

    /// <summary>Adds the move filters to <paramref name="bus"/>'s receive endpoints, the ones configured after this call.</summary>
    public static void ApplyTo(IBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.ConnectEndpointConfigurationObserver(new UserlessMoves());
    }

    /// <inheritdoc />
    public void EndpointConfigured<T>(T configurator)
        where T : IReceiveEndpointConfigurator
    {
        configurator.ConfigureError(error =>
        {
            error.UseFilter(new GenerateFaultFilter());
            error.UseFilter(new ErrorFilter());
            error.UseFilter(new ErrorTransportFilter());
        });
        configurator.ConfigureDeadLetter(skipped =>
        {
            skipped.UseFilter(new DeadLetterFilter());
            skipped.UseFilter(new DeadLetterTransportFilter());
        });
    }

    private sealed class ErrorFilter : IFilter<ExceptionReceiveContext>
    {
        public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next) =>
            next.Send(new UserlessExceptionReceiveContext(context));

        public void Probe(ProbeContext context) => context.CreateFilterScope("workfleet-userless-error");
    }

    private sealed class DeadLetterFilter : IFilter<ReceiveContext>
    {
        public Task Send(ReceiveContext context, IPipe<ReceiveContext> next) => next.Send(new UserlessReceiveContext(context));

        public void Probe(ProbeContext context) => context.CreateFilterScope("workfleet-userless-skipped");
    }
}
