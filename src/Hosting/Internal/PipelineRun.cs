namespace Vigil.Hosting.Internal;

/// <summary>A started pipeline, as the hosted service drives it.</summary>
/// <param name="Completion">Completes when the pipeline has drained (or failed).</param>
/// <param name="RequestDrain">Asks it to stop taking input and finish what it holds.</param>
/// <param name="Abort">Stops it at once (the drain ran out of time).</param>
internal sealed record PipelineRun(Task Completion, Action RequestDrain, Action Abort);

/// <summary>A registered pipeline: its name and how to start it.</summary>
internal sealed record PipelineDefinition(string Name, Func<IServiceProvider, PipelineRun> Start);
