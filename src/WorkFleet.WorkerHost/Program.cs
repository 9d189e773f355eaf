using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Messaging.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddWorkFleetWorker();
return await builder.Build().RunWorkFleetHostAsync();
