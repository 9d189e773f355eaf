using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Dispatcher.Hosting;

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
await app.RunAsync();
return 0;
