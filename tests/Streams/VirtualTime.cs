using Akka.TestKit;

namespace Vigil.Streams.Tests;

/// <summary>Virtual time for stream tests (Akka's TestScheduler).</summary>
internal static class VirtualTime
{
    public const string Config = Vigil.Tests.Common.AkkaTestConfig.VirtualTime;

    /// <summary>Advances in steps, so a repeating timer fires once per step as it would in real time.</summary>
    public static void Advance(TestScheduler scheduler, TimeSpan total, TimeSpan step)
    {
        for (var t = TimeSpan.Zero; t < total; t += step) scheduler.Advance(step);
    }

    public static TestScheduler Scheduler(Akka.Actor.ActorSystem system) => (TestScheduler)system.Scheduler;
}
