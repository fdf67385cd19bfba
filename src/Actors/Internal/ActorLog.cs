using Microsoft.Extensions.Logging;

namespace Vigil.Actors.Internal;

/// <summary>
/// The actor runtime's log events. Event ids are stable (1000-1099 belong to Vigil.Actors) so
/// alerts and dashboards can match on them; never renumber, only add.
/// </summary>
internal static partial class ActorLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
        Message = "Actor {Path} failed handling {MessageType}; supervision decided {Directive}")]
    public static partial void ActorFailed(ILogger logger, Exception error, ActorPath path, string messageType, SupervisionDecision directive);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Actor {Path} restarting (restart {Restart}) after {Delay}")]
    public static partial void Restarting(ILogger logger, ActorPath path, int restart, TimeSpan delay);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "Actor {Path} stopping: {Restarts} consecutive restarts did not help")]
    public static partial void RestartLimitReached(ILogger logger, ActorPath path, int restarts);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Dead letter to {Path}: {MessageType} ({Reason})")]
    public static partial void DeadLetter(ILogger logger, ActorPath path, string messageType, DeadLetterReason reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error,
        Message = "Top-level actor {Path} escalated a failure; there is no parent to decide, so it stops")]
    public static partial void EscalatedToRoot(ILogger logger, Exception error, ActorPath path);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error,
        Message = "Actor {Path} threw from {Hook}; ignored because the actor is ending anyway")]
    public static partial void HookFailed(ILogger logger, Exception error, ActorPath path, string hook);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Actor {Path} stopped")]
    public static partial void Stopped(ILogger logger, ActorPath path);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Actor system {System} shutting down: draining {Count} top-level actors")]
    public static partial void ShuttingDown(ILogger logger, string system, int count);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Actor system {System} shut down")]
    public static partial void ShutDown(ILogger logger, string system);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug,
        Message = "Entity {Path} passivated ({Reason})")]
    public static partial void Passivated(ILogger logger, ActorPath path, PassivationReason reason);
}
