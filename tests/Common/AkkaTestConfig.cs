namespace Vigil.Tests.Common;

/// <summary>HOCON for test ActorSystems.</summary>
internal static class AkkaTestConfig
{
    /// <summary>Virtual time: the system's scheduler is Akka's TestScheduler, so timers fire only when a test advances it.</summary>
    public const string VirtualTime = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """;

    /// <summary>Real time, quiet logs (graphs whose timing does not matter to the test).</summary>
    public const string Quiet = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """;
}
