using Vigil.Actors;
using Vigil.TestKit.Actors;

namespace Vigil.Actors.Tests;

public sealed class MessagingTests
{
    public sealed record Ping(int N, IActorRef<Pong> ReplyTo);
    public sealed record Pong(int N);

    [Fact]
    public async Task AskAsync_ActorReplies_ReturnsReply()
    {
        var (_, system, _) = ActorTestHelpers.Create();
        await using var _ = system;
        var echo = system.Spawn<Ping>("echo", () => Actor.FromHandler<Ping>((m, _) => { m.ReplyTo.Tell(new Pong(m.N * 2)); return ValueTask.CompletedTask; }));
        var pong = await echo.AskAsync<Ping, Pong>(r => new Ping(21, r), TimeSpan.FromSeconds(5)).WaitAsync(ActorTestHelpers.Safety);
        Assert.Equal(new Pong(42), pong);
    }

    [Fact]
    public async Task AskAsync_NoReply_TimesOutOnTheManualClockNamingTheActor()
    {
        var (clock, system, probe) = ActorTestHelpers.Create("clinic");
        await using var _ = system;
        var silent = system.Spawn<Ping>("silent", () => Actor.FromHandler<Ping>((_, _) => ValueTask.CompletedTask));

        var ask = silent.AskAsync<Ping, Pong>(r => new Ping(1, r), TimeSpan.FromSeconds(5));
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(4.999)); // advances the clock and waits for quiescence
        Assert.False(ask.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => ask.WaitAsync(ActorTestHelpers.Safety));
        Assert.IsAssignableFrom<TimeoutException>(ex);
        Assert.Equal(silent.Path, ex.Target);
        Assert.Contains("vigil://clinic/user/silent", ex.Message);
        Assert.Contains(nameof(Ping), ex.Message);
    }

    [Fact]
    public async Task AskAsync_ReplyAfterTimeout_GoesToDeadLetters()
    {
        var (clock, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        IActorRef<Pong>? pending = null;
        var late = system.Spawn<object>("late", () => Actor.FromHandler<object>((m, _) =>
        {
            if (m is Ping p) pending = p.ReplyTo;
            else pending!.Tell(new Pong(7));
            return ValueTask.CompletedTask;
        }));
        var ask = late.AskAsync<object, Pong>(r => new Ping(1, r), TimeSpan.FromSeconds(1));
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask.WaitAsync(ActorTestHelpers.Safety));

        late.Tell("reply now");
        var dead = await system.NextDeadLetterAsync();
        Assert.Equal(new Pong(7), dead.Message);
        Assert.Equal(DeadLetterReason.AskCompleted, dead.Reason);
    }

    [Fact]
    public async Task AskAsync_StoppedActor_FailsWithRejection()
    {
        var (_, system, _) = ActorTestHelpers.Create();
        await using var _ = system;
        var echo = system.Spawn<Ping>("echo", () => Actor.FromHandler<Ping>((_, _) => ValueTask.CompletedTask));
        await system.StopAsync(echo).WaitAsync(ActorTestHelpers.Safety);
        var ex = await Assert.ThrowsAsync<ActorRejectedException>(() => echo.AskAsync<Ping, Pong>(r => new Ping(1, r), TimeSpan.FromSeconds(1)));
        Assert.Equal(echo.Path, ex.Target);
    }

    [Fact]
    public async Task Tell_MailboxFull_RejectsToDeadLettersAndTellAsyncWaitsForRoom()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = system.Spawn<int>("slow", () => Actor.FromHandler<int>(async (m, _) =>
        {
            probe.Tell($"begin {m}");
            await gate.Task;
            probe.Tell(m);
        }), new ActorOptions { MailboxCapacity = 2 });

        Assert.True(slow.Tell(1));
        await probe.ExpectMsgAsync("begin 1"); // 1 is being handled: it still holds its slot
        Assert.True(slow.Tell(2));
        Assert.False(slow.Tell(3));            // capacity 2 reached
        var dead = await system.NextDeadLetterAsync();
        Assert.Equal(3, dead.Message);
        Assert.Equal(DeadLetterReason.MailboxFull, dead.Reason);

        var waiting = slow.TellAsync(4).AsTask();
        Assert.False(waiting.IsCompleted);     // backpressure: both slots stay taken until the gate opens
        gate.SetResult();
        Assert.True(await waiting.WaitAsync(ActorTestHelpers.Safety));
        Assert.Equal(1, await probe.ExpectMsgAsync<int>());
        await probe.ExpectMsgAsync("begin 2");
        Assert.Equal(2, await probe.ExpectMsgAsync<int>());
        await probe.ExpectMsgAsync("begin 4");
        Assert.Equal(4, await probe.ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task ReceiveAsync_AsyncHandler_ProcessesOneMessageAtATimeInOrder()
    {
        var (_, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var inFlight = 0;
        var maxInFlight = 0;
        var seen = new List<int>();
        var actor = system.Spawn<int>("serial", () => Actor.FromHandler<int>(async (m, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            maxInFlight = Math.Max(maxInFlight, now);
            await Task.Yield();
            seen.Add(m);
            Interlocked.Decrement(ref inFlight);
            if (m == 499) probe.Tell("done");
        }), new ActorOptions { MailboxCapacity = 16 });

        var senders = Enumerable.Range(0, 500).Select(i => i);
        foreach (var i in senders) Assert.True(await actor.TellAsync(i));
        await probe.ExpectMsgAsync("done");
        Assert.Equal(1, maxInFlight);
        Assert.Equal(Enumerable.Range(0, 500), seen);
    }

    [Fact]
    public async Task Spawn_DuplicateName_Throws()
    {
        var (_, system, _) = ActorTestHelpers.Create();
        await using var _ = system;
        system.Spawn<int>("a", () => Actor.FromHandler<int>((_, _) => ValueTask.CompletedTask));
        var ex = Assert.Throws<InvalidOperationException>(() => system.Spawn<int>("a", () => Actor.FromHandler<int>((_, _) => ValueTask.CompletedTask)));
        Assert.Contains("'a'", ex.Message);
        Assert.Throws<ArgumentException>(() => system.Spawn<int>("bad name", () => Actor.FromHandler<int>((_, _) => ValueTask.CompletedTask)));
    }

    [Fact]
    public async Task ScheduleOnce_AfterDelay_DeliversOnManualClock()
    {
        var (clock, system, probe) = ActorTestHelpers.Create();
        await using var _ = system;
        var actor = system.Spawn<string>("timer", () => Actor.FromHandler<string>((m, c) =>
        {
            if (m == "arm") c.ScheduleOnce(TimeSpan.FromSeconds(10), "tick");
            else probe.Tell(m);
            return ValueTask.CompletedTask;
        }));
        actor.Tell("arm");
        await probe.ExpectNoMsgAsync(TimeSpan.FromSeconds(9.9));
        await probe.WithinAsync(TimeSpan.FromSeconds(0.1), async () =>
        {
            clock.Advance(TimeSpan.FromSeconds(0.1));
            await probe.ExpectMsgAsync("tick");
        });
    }
}
