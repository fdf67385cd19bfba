using Akka.TestKit;

namespace Vigil.Streams.Tests;

/// <summary>The HOCON that puts an ActorSystem on Akka's TestScheduler (virtual time: timers fire on Advance only).</summary>
internal static class VirtualTime
{
    public const string Config = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        """;

    /// <summary>Advances in steps, so a repeating timer fires once per step as it would in real time.</summary>
    public static void Advance(TestScheduler scheduler, TimeSpan total, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < total; t += step) scheduler.Advance(step);
    }

    public static TestScheduler Scheduler(Akka.Actor.ActorSystem system) => (TestScheduler)system.Scheduler;
}
