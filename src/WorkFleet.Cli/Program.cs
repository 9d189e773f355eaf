using System.CommandLine;
using WorkFleet.Cli.Commands;

var root = new RootCommand("workfleet: weighted least-load work distribution for AI jobs")
{
    DemoCommand.Create(),
    SubmitCommand.Create(),
    StatusCommand.Create(),
    TopCommand.Create(),
    JobsCommand.Create(),
    RunJobCommand.Create(),
    ErrorsCommand.Create(),
    CancelCommand.Create(),
    DrainCommand.Create(),
    AutoscalerCommand.Create(),
    MigrateCommand.Create(),
    BrokerDefinitionsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
