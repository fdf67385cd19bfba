using Akka.Streams;
using Akka.Streams.Stage;
using Vigil.Streams.Supervision;

namespace Vigil.Streams.Windows;

/// <summary>
/// Tumbling (slide = size) or sliding windows by event time, with a watermark for late and
/// out-of-order data (wearables upload in bursts). The watermark is the largest event time seen
/// minus <c>allowedLateness</c>. A window [start, end) is emitted once the watermark reaches its end,
/// with its elements sorted by event time, so elements up to <c>allowedLateness</c> out of order still
/// land in their window. An element older than that, whose every window was already emitted, is not
/// silently dropped: it goes to the dead-letter outlet with a <see cref="LateElementException"/>.
/// Windows are aligned to multiples of the slide since the Unix epoch.
/// <para><b>Emits</b> closed windows on <c>Out0</c> in start order; late elements on <c>Out1</c>.</para>
/// <para><b>Backpressures</b> when closed windows wait for <c>Out0</c>, or a late element for <c>Out1</c>.</para>
/// <para><b>Completes</b> when upstream completes, after every open window was emitted.</para>
/// <para><b>Cancels</b> when <c>Out0</c> cancels; a cancelled <c>Out1</c> only drops later late elements.</para>
/// <para><b>Fails</b> when upstream fails, or when <c>eventTime</c> throws (wrap it if it can).</para>
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class EventTimeWindowStage<T> : GraphStage<FanOutShape<T, EventTimeWindow<T>, DeadLetter<T>>>
{
    private readonly Func<T, DateTimeOffset> _eventTime;
    private readonly long _size, _slide, _lateness;
    private readonly string _name;

    /// <summary>Creates the stage.</summary>
    /// <param name="eventTime">The element's event time.</param>
    /// <param name="size">Window length.</param>
    /// <param name="slide">Distance between window starts; <paramref name="size"/> (tumbling) when null.</param>
    /// <param name="allowedLateness">How far behind the newest event time an element may arrive and still count.</param>
    /// <param name="name">Stage name, recorded in dead letters.</param>
    public EventTimeWindowStage(Func<T, DateTimeOffset> eventTime, TimeSpan size, TimeSpan? slide = null, TimeSpan allowedLateness = default, string name = "eventTimeWindow")
    {
        _eventTime = eventTime ?? throw new ArgumentNullException(nameof(eventTime));
        if (size <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(size), size, "Window size must be positive.");
        var s = slide ?? size;
        if (s <= TimeSpan.Zero || s > size) throw new ArgumentOutOfRangeException(nameof(slide), s, "Slide must be positive and at most the size.");
        if (allowedLateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(allowedLateness), allowedLateness, "Lateness cannot be negative.");
        (_size, _slide, _lateness, _name) = (size.Ticks, s.Ticks, allowedLateness.Ticks, name);
        Shape = new FanOutShape<T, EventTimeWindow<T>, DeadLetter<T>>(In, Out, Late);
    }

    /// <summary>The input port.</summary>
    public Inlet<T> In { get; } = new("window.in");

    /// <summary>Closed windows.</summary>
    public Outlet<EventTimeWindow<T>> Out { get; } = new("window.out");

    /// <summary>Elements that arrived after their windows closed.</summary>
    public Outlet<DeadLetter<T>> Late { get; } = new("window.late");

    /// <inheritdoc />
    public override FanOutShape<T, EventTimeWindow<T>, DeadLetter<T>> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes => Attributes.CreateName(_name);

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly EventTimeWindowStage<T> _s;
        private readonly SortedDictionary<long, List<(long Ticks, long Seq, T Item)>> _open = new();
        private long _maxTicks = long.MinValue;
        private long _closedBefore = long.MinValue; // windows ending at or before this were emitted
        private long _sequence;
        private int _pendingEmits;
        private bool _lateCancelled;

        public Logic(EventTimeWindowStage<T> stage) : base(stage.Shape)
        {
            _s = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () =>
            {
                var all = _open.Keys.ToList().Select(Close).ToList();
                if (all.Count > 0) EmitMultiple(_s.Out, all);
                Complete(_s.Out);
                Complete(_s.Late);
            });
            SetHandler(stage.Out, onPull: TryPull, onDownstreamFinish: CancelStage);
            SetHandler(stage.Late, onPull: () => { }, onDownstreamFinish: _ => _lateCancelled = true);
        }

        private void OnPush()
        {
            var element = Grab(_s.In);
            var time = _s._eventTime(element);
            var ticks = time.UtcTicks;
            var accepted = false;
            // Every window containing the element: starts are multiples of the slide in (ticks - size, ticks].
            for (var start = FloorTo(ticks, _s._slide); start > ticks - _s._size; start -= _s._slide)
            {
                if (start + _s._size <= _closedBefore) continue; // already emitted
                if (!_open.TryGetValue(start, out var items)) _open[start] = items = new();
                items.Add((ticks, _sequence++, element));
                accepted = true;
            }
            if (!accepted)
            {
                if (!_lateCancelled)
                {
                    var watermark = new DateTimeOffset(Math.Max(_maxTicks - _s._lateness, DateTimeOffset.MinValue.UtcTicks), TimeSpan.Zero);
                    _pendingEmits++;
                    Emit(_s.Late, new DeadLetter<T>(element, new LateElementException(time, watermark), _s._name), Emitted);
                }
                TryPull();
                return;
            }
            if (ticks > _maxTicks)
            {
                _maxTicks = ticks;
                var watermarkTicks = ticks - _s._lateness;
                var ready = _open.Keys.TakeWhile(start => start + _s._size <= watermarkTicks).ToList().Select(Close).ToList();
                if (ready.Count > 0)
                {
                    _pendingEmits++;
                    EmitMultiple(_s.Out, ready, Emitted);
                    return;
                }
            }
            TryPull();
        }

        private void Emitted()
        {
            _pendingEmits--;
            TryPull();
        }

        // Pull only with demand on Out and nothing waiting to be emitted.
        private void TryPull()
        {
            if (_pendingEmits == 0 && IsAvailable(_s.Out) && !HasBeenPulled(_s.In) && !IsClosed(_s.In)) Pull(_s.In);
        }

        private EventTimeWindow<T> Close(long start)
        {
            var items = _open[start];
            _open.Remove(start);
            _closedBefore = Math.Max(_closedBefore, start + _s._size);
            items.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Seq.CompareTo(b.Seq));
            return new EventTimeWindow<T>(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(start + _s._size, TimeSpan.Zero),
                items.Select(i => i.Item).ToArray());
        }

        private static long FloorTo(long ticks, long step)
        {
            var r = ticks % step;
            return r < 0 ? ticks - r - step : ticks - r;
        }
    }
}
