using Vigil.Actors;
using Vigil.TestKit;
using Vigil.TestKit.Actors;

namespace Vigil.Actors.Tests;

/// <summary>Messages and actors shared by the scenario tests.</summary>
public abstract record CounterMsg;
public sealed record Inc : CounterMsg;
public sealed record Boom(string Why = "boom") : CounterMsg;
public sealed record Report : CounterMsg;

/// <summary>Counts Inc messages; Report sends the count to the probe; Boom throws. PreStart announces "started".</summary>
public sealed class Counter(IActorRef<object> probe, string? name = null) : Actor<CounterMsg>
{
    private int _count;

    protected override ValueTask PreStartAsync()
    {
        probe.Tell(name is null ? "started" : $"{name}-started");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask PostStopAsync()
    {
        probe.Tell(name is null ? "stopped" : $"{name}-stopped");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ReceiveAsync(CounterMsg message)
    {
        switch (message)
        {
            case Inc: _count++; break;
            case Report: probe.Tell(_count); break;
            case Boom b: throw new InvalidOperationException(b.Why);
        }
        return ValueTask.CompletedTask;
    }
}

internal static class ActorTestHelpers
{
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    public static (ManualClock Clock, ActorSystem System, TestProbe Probe) Create(string name = "test", ActorSystemOptions? options = null)
    {
        var clock = new ManualClock();
        var system = new ActorSystem(name, options, clock);
        return (clock, system, new TestProbe(system));
    }

    public static async Task<ActorDeadLetter> NextDeadLetterAsync(this ActorSystem system) =>
        await system.DeadLetters.ReadAsync().AsTask().WaitAsync(Safety);
}
