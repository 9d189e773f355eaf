using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Dispatcher.Hosting;
using WorkFleet.Messaging.Hosting;

if (await MigrateMode.RunIfRequestedAsync(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkFleetDispatcher();
builder.AddWorkFleetDashboard();
var app = builder.Build();
app.UseWorkFleetDashboard();
app.MapWorkFleetDashboard();
return await app.RunWorkFleetHostAsync();
