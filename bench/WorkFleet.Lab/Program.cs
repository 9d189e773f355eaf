using System.CommandLine;
using WorkFleet.Lab.Commands;

var root = new RootCommand("workfleet-lab: the WorkFleet lab, its fleet simulator and benchmarks (operator commands are in workfleet)")
{
    SimulateCommand.Create(),
    SimulateAutoscalingCommand.Create(),
    BenchBatchingCommand.Create(),
    BenchStrategiesCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
