using System.Threading.Channels;
using Vigil.Streams;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.TestKit.Streams;

/// <summary>
/// A sink a test requests from: nothing is pulled until <see cref="Request"/> grants demand, so
/// a test controls backpressure. Expectations read what arrived in order:
/// <c>probe.Request(2).ExpectNext(1, 2).ExpectComplete()</c>. Each expectation waits at most a
/// generous safety timeout (30 s by default); <see cref="ExpectNoMsg"/> is exact: it advances a
/// <see cref="ManualClock"/> (when that is the materializer's clock) and then waits until the
/// graph is idle before checking that nothing arrived.
/// </summary>
public sealed class TestSinkProbe<T>
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>();
    private readonly object _gate = new();
    private MaterializationContext? _context;
    private TaskCompletionSource? _demandSignal;
    private long _demand;

    private TestSinkProbe() { }

    /// <summary>A sink whose materialized value is the probe.</summary>
    public static Sink<T, TestSinkProbe<T>> Create() => Vigil.TestKit.Streams.TestSink.Probe<T>();

    internal static TestSinkProbe<T> Materialize(MaterializationContext context, Vigil.Streams.Fusion.Outlet<T> input, StageRuntime stage)
    {
        var probe = new TestSinkProbe<T> { _context = context };
        context.Start(stage.Name, (activity, ct) => probe.RunAsync(input, stage, activity, ct));
        return probe;
    }

    /// <summary>Grants demand for <paramref name="count"/> more elements.</summary>
    public TestSinkProbe<T> Request(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        TaskCompletionSource? signal;
        lock (_gate) { _demand += count; signal = _demandSignal; _demandSignal = null; }
        Signal.Set(signal);
        return this;
    }

    /// <summary>Expects the next event to be exactly these elements, in order.</summary>
    public TestSinkProbe<T> ExpectNext(params T[] expected)
    {
        foreach (var e in expected)
        {
            var actual = ExpectNextElement();
            if (!EqualityComparer<T>.Default.Equals(actual, e))
                throw new InvalidOperationException($"Expected element {e}, got {actual}.");
        }
        return this;
    }

    /// <summary>Expects and returns the next element.</summary>
    public T ExpectNextElement(TimeSpan? timeout = null)
    {
        var ev = Next(timeout);
        return ev.Kind == EventKind.Next ? ev.Element
            : throw new InvalidOperationException($"Expected an element, got {ev.Kind}{(ev.Error is null ? "" : ": " + ev.Error.Message)}.");
    }

    /// <summary>Expects the stream to complete next.</summary>
    public TestSinkProbe<T> ExpectComplete(TimeSpan? timeout = null)
    {
        var ev = Next(timeout);
        if (ev.Kind != EventKind.Complete)
            throw new InvalidOperationException($"Expected completion, got {ev.Kind}{(ev.Kind == EventKind.Next ? $" {ev.Element}" : ev.Error?.Message)}.");
        return this;
    }

    /// <summary>Expects the stream to fail next; returns the error.</summary>
    public Exception ExpectError(TimeSpan? timeout = null)
    {
        var ev = Next(timeout);
        return ev.Kind == EventKind.Error ? ev.Error!
            : throw new InvalidOperationException($"Expected an error, got {ev.Kind}{(ev.Kind == EventKind.Next ? $" {ev.Element}" : "")}.");
    }

    /// <summary>
    /// Expects nothing to arrive during <paramref name="duration"/>: advances the materializer's
    /// clock when it is a <see cref="ManualClock"/>, waits until the graph is idle, then checks.
    /// </summary>
    public TestSinkProbe<T> ExpectNoMsg(TimeSpan duration)
    {
        var context = _context ?? throw new InvalidOperationException("The probe is not materialized.");
        // Settle first, so what the test just did takes effect before time moves; then settle again.
        Settle(context);
        if (context.TimeProvider is ManualClock clock && duration > TimeSpan.Zero)
        {
            Signal.WithoutContext(() => clock.Advance(duration));
            Settle(context);
        }
        if (_events.Reader.TryPeek(out var ev))
            throw new InvalidOperationException($"Expected no message, got {ev.Kind}{(ev.Kind == EventKind.Next ? $" {ev.Element}" : "")}.");
        return this;
    }

    private static void Settle(MaterializationContext context)
    {
        if (!context.WhenIdleAsync(CancellationToken.None).Wait(DefaultTimeout))
            throw new TimeoutException("The graph did not become idle within the safety timeout.");
    }

    /// <summary>Requests everything and collects elements until completion (rethrows a failure).</summary>
    public List<T> ToList(TimeSpan? timeout = null)
    {
        Request(long.MaxValue / 2);
        var list = new List<T>();
        while (true)
        {
            var ev = Next(timeout);
            switch (ev.Kind)
            {
                case EventKind.Next: list.Add(ev.Element); break;
                case EventKind.Complete: return list;
                default: throw ev.Error!;
            }
        }
    }

    private Event Next(TimeSpan? timeout)
    {
        var limit = timeout ?? DefaultTimeout;
        var read = _events.Reader.ReadAsync().AsTask();
        if (!read.Wait(limit)) throw new TimeoutException($"Nothing arrived at the test sink within {limit}.");
        return read.Result;
    }

    private async Task RunAsync(Vigil.Streams.Fusion.Outlet<T> input, StageRuntime stage, LoopActivity activity, CancellationToken cancellationToken)
    {
        var context = stage.Context;
        try
        {
            Task<bool>? pendingWait = null; // a WaitAsync already issued and not yet consumed
            var ready = false;              // upstream said an element may be there
            while (true)
            {
                Task? waitDemand = null;
                lock (_gate)
                {
                    if (_demand == 0)
                    {
                        _demandSignal = new TaskCompletionSource();
                        waitDemand = _demandSignal.Task;
                    }
                }
                if (waitDemand is not null)
                {
                    // No demand: pull nothing, but still notice completion or failure (as Akka's probe does).
                    if (!ready && pendingWait is null)
                    {
                        var w = input.WaitAsync(cancellationToken);
                        if (w.IsCompleted)
                        {
                            if (!w.GetAwaiter().GetResult()) break;
                            ready = true; // an element is there: wait for demand only
                        }
                        else pendingWait = w.AsTask();
                    }
                    if (!ready && !pendingWait!.IsCompleted)
                        await context.ParkAsync(Task.WhenAny(waitDemand, pendingWait).WaitAsync(cancellationToken), activity).ConfigureAwait(false);
                    else if (ready)
                        await context.ParkAsync(waitDemand.WaitAsync(cancellationToken), activity).ConfigureAwait(false);
                    if (pendingWait is { IsCompleted: true })
                    {
                        // A wake-up may be spurious: ask again (synchronously answered when settled).
                        var more = await pendingWait.ConfigureAwait(false);
                        pendingWait = null;
                        if (!more) break;
                    }
                    continue;
                }
                if (pendingWait is not null)
                {
                    var more = await context.ParkAsync(new ValueTask<bool>(pendingWait), activity).ConfigureAwait(false);
                    pendingWait = null;
                    if (!more) break;
                }
                if (input.TryPull(out var element))
                {
                    stage.In++;
                    lock (_gate) _demand--;
                    _events.Writer.TryWrite(new Event(EventKind.Next, element, null));
                    continue;
                }
                ready = false;
                var wait = input.WaitAsync(cancellationToken);
                var hasMore = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await context.ParkAsync(wait, activity).ConfigureAwait(false);
                if (!hasMore) break;
            }
            _events.Writer.TryWrite(new Event(EventKind.Complete, default!, null));
        }
        catch (Exception e)
        {
            input.Cancel();
            _events.Writer.TryWrite(new Event(EventKind.Error, default!, e));
            if (e is not OperationCanceledException) context.Fail(e);
        }
    }

    private enum EventKind { Next, Complete, Error }

    private readonly record struct Event(EventKind Kind, T Element, Exception? Error);
}

/// <summary>Factories for stream probes.</summary>
public static class TestSink
{
    /// <summary>A sink materializing a <see cref="TestSinkProbe{T}"/>.</summary>
    public static Sink<T, TestSinkProbe<T>> Probe<T>() =>
        new Sink<T, TestSinkProbe<T>>((ctx, up) =>
        {
            var input = up.Build(ctx);
            return TestSinkProbe<T>.Materialize(ctx, input, ctx.CreateStage(Vigil.Streams.Dsl.StageAttributes.None, "TestSink"));
        });
}

/// <summary>Factories for source probes.</summary>
public static class TestSource
{
    /// <summary>A new <see cref="TestSourceProbe{T}"/>.</summary>
    public static TestSourceProbe<T> Probe<T>() => new();
}
