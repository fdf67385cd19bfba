using Microsoft.Extensions.Logging;

namespace Vigil.Hosting.Internal;

/// <summary>
/// Log events of Vigil's hosting integration. Event ids are stable (1100-1199 belong to
/// Vigil.Hosting); never renumber, only add.
/// </summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Vigil pipeline {Pipeline} started")]
    public static partial void PipelineStarted(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Vigil pipeline {Pipeline} draining")]
    public static partial void PipelineDraining(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Vigil pipeline {Pipeline} drained")]
    public static partial void PipelineDrained(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning,
        Message = "Vigil pipeline {Pipeline} did not drain within the host's shutdown timeout; aborting it")]
    public static partial void PipelineDrainTimedOut(ILogger logger, string pipeline);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Vigil pipeline {Pipeline} failed")]
    public static partial void PipelineFailed(ILogger logger, Exception error, string pipeline);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning,
        Message = "Vigil pipeline {Pipeline} ended while the host was running")]
    public static partial void PipelineEndedEarly(ILogger logger, string pipeline);

    // 1107 and 1108 (Vigil's own actor system started / drain timed out) are retired: Akka.Hosting
    // runs the ActorSystem and logs its own lifecycle.

    [LoggerMessage(EventId = 1109, Level = LogLevel.Critical,
        Message = "Stopping the application because Vigil pipeline {Pipeline} stopped running")]
    public static partial void StoppingApplication(ILogger logger, string pipeline);
}
