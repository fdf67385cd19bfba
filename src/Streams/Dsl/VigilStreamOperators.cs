using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Streams.Keyed;
using Vigil.Streams.Supervision;
using Vigil.Streams.Windows;

namespace Vigil.Streams.Dsl;

/// <summary>
/// Vigil's stages as operators on Akka's <see cref="Source{TOut, TMat}"/> and <see cref="Flow{TIn, TOut, TMat}"/>.
/// Each one's emit/backpressure/complete/cancel behaviour is documented on its stage.
/// </summary>
public static class VigilStreamOperators
{
    /// <summary>Per-key state in one fused stage (see <see cref="PerKeyStage{TIn, TKey, TState, TOut}"/>).</summary>
    public static Source<TOut, TMat> SelectPerKey<TIn, TKey, TState, TOut, TMat>(this Source<TIn, TMat> source, Func<TIn, TKey> key,
        Func<TKey, TState> create, Func<TState, TIn, TOut> step, PerKeySettings? settings = null, IEqualityComparer<TKey>? comparer = null,
        Action<TKey, TState, PassivationReason>? onPassivated = null) where TKey : notnull =>
        source.Via(new PerKeyStage<TIn, TKey, TState, TOut>(key, create, step, settings, comparer, onPassivated));

    /// <summary>Per-key state in one fused stage (see <see cref="PerKeyStage{TIn, TKey, TState, TOut}"/>).</summary>
    public static Flow<TIn0, TOut, TMat> SelectPerKey<TIn0, TIn, TKey, TState, TOut, TMat>(this Flow<TIn0, TIn, TMat> flow, Func<TIn, TKey> key,
        Func<TKey, TState> create, Func<TState, TIn, TOut> step, PerKeySettings? settings = null, IEqualityComparer<TKey>? comparer = null,
        Action<TKey, TState, PassivationReason>? onPassivated = null) where TKey : notnull =>
        flow.Via(new PerKeyStage<TIn, TKey, TState, TOut>(key, create, step, settings, comparer, onPassivated));

    /// <summary>
    /// <paramref name="lanes"/> per-key stages side by side, each behind its own async boundary (one
    /// per core is typical): a key always goes to the same lane, so its elements stay in order and
    /// its state is touched by one lane only. Outputs of different keys may interleave differently
    /// than their inputs. Emits when a lane emits; backpressures when the element's lane does;
    /// completes when upstream completes and every lane drained; cancels when downstream cancels.
    /// <paramref name="settings"/> apply per lane (each lane holds up to <see cref="PerKeySettings.MaxKeys"/>).
    /// </summary>
    public static Flow<TIn, TOut, NotUsed> PerKeyLanes<TIn, TKey, TState, TOut>(int lanes, Func<TIn, TKey> key,
        Func<TKey, TState> create, Func<TState, TIn, TOut> step, PerKeySettings? settings = null, IEqualityComparer<TKey>? comparer = null,
        Action<TKey, TState, PassivationReason>? onPassivated = null) where TKey : notnull
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentNullException.ThrowIfNull(key);
        var stage = Flow.FromGraph(new PerKeyStage<TIn, TKey, TState, TOut>(key, create, step, settings, comparer, onPassivated));
        if (lanes == 1) return stage;
        var equality = comparer ?? EqualityComparer<TKey>.Default;
        return Flow.FromGraph(GraphDsl.Create(b =>
        {
            var partition = b.Add(new Partition<TIn>(lanes, e => (equality.GetHashCode(key(e)) & int.MaxValue) % lanes));
            var merge = b.Add(new Merge<TOut>(lanes));
            for (var i = 0; i < lanes; i++)
                b.From(partition.Out(i)).Via(stage.Async()).To(merge.In(i));
            return new FlowShape<TIn, TOut>(partition.In, merge.Out);
        })).Named("perKeyLanes");
    }

    /// <summary>Select with Resume supervision whose refused elements go to <paramref name="deadLetters"/> (see <see cref="ResumeToDeadLettersStage{TIn, TOut}"/>).</summary>
    public static Source<TOut, TMat> SelectOrDeadLetter<TIn, TOut, TMat, TDeadMat>(this Source<TIn, TMat> source, Func<TIn, TOut> selector,
        IGraph<SinkShape<DeadLetter<TIn>>, TDeadMat> deadLetters, string name = "select") =>
        source.Via(WithSide(new ResumeToDeadLettersStage<TIn, TOut>(selector, name), deadLetters));

    /// <summary>Select with Resume supervision whose refused elements go to <paramref name="deadLetters"/> (see <see cref="ResumeToDeadLettersStage{TIn, TOut}"/>).</summary>
    public static Flow<TIn0, TOut, TMat> SelectOrDeadLetter<TIn0, TIn, TOut, TMat, TDeadMat>(this Flow<TIn0, TIn, TMat> flow, Func<TIn, TOut> selector,
        IGraph<SinkShape<DeadLetter<TIn>>, TDeadMat> deadLetters, string name = "select") =>
        flow.Via(WithSide(new ResumeToDeadLettersStage<TIn, TOut>(selector, name), deadLetters));

    /// <summary>Event-time windows; late elements go to <paramref name="lateElements"/> (ignored when null). See <see cref="EventTimeWindowStage{T}"/>.</summary>
    public static Source<EventTimeWindow<T>, TMat> WindowByEventTime<T, TMat>(this Source<T, TMat> source, Func<T, DateTimeOffset> eventTime,
        TimeSpan size, TimeSpan? slide = null, TimeSpan allowedLateness = default, IGraph<SinkShape<DeadLetter<T>>, NotUsed>? lateElements = null,
        string name = "eventTimeWindow") =>
        source.Via(WithSide(new EventTimeWindowStage<T>(eventTime, size, slide, allowedLateness, name), lateElements ?? Sink.Ignore<DeadLetter<T>>().MapMaterializedValue(_ => NotUsed.Instance)));

    /// <summary>Event-time windows; late elements go to <paramref name="lateElements"/> (ignored when null). See <see cref="EventTimeWindowStage{T}"/>.</summary>
    public static Flow<TIn, EventTimeWindow<T>, TMat> WindowByEventTime<TIn, T, TMat>(this Flow<TIn, T, TMat> flow, Func<T, DateTimeOffset> eventTime,
        TimeSpan size, TimeSpan? slide = null, TimeSpan allowedLateness = default, IGraph<SinkShape<DeadLetter<T>>, NotUsed>? lateElements = null,
        string name = "eventTimeWindow") =>
        flow.Via(WithSide(new EventTimeWindowStage<T>(eventTime, size, slide, allowedLateness, name), lateElements ?? Sink.Ignore<DeadLetter<T>>().MapMaterializedValue(_ => NotUsed.Instance)));

    // A two-outlet stage as a Flow: the second outlet is wired to its sink inside.
    private static Flow<TIn, TOut, NotUsed> WithSide<TIn, TOut, TSide, TSideMat>(IGraph<FanOutShape<TIn, TOut, TSide>, NotUsed> stage,
        IGraph<SinkShape<TSide>, TSideMat> side)
    {
        ArgumentNullException.ThrowIfNull(side);
        return Flow.FromGraph(GraphDsl.Create(b =>
        {
            var s = b.Add(stage);
            b.From(s.Out1).To(side);
            return new FlowShape<TIn, TOut>(s.In, s.Out0);
        }));
    }
}
