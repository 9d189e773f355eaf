using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.AddWorkFleetDispatcher();
builder.AddWorkFleetDashboard();
var app = builder.Build();
app.UseWorkFleetDashboard();
app.MapWorkFleetDashboard();
await app.RunAsync();
