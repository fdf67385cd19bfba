using Akka.Streams;
using Akka.Streams.Stage;
using Akka.Streams.Supervision;

namespace Vigil.Streams.Keyed;

/// <summary>
/// One state per key inside one fused stage: for each element, the key's state (created on the
/// key's first element) and the element go through <c>step</c>, which returns the output. Unlike
/// <c>GroupBy</c> there is no substream per key, so ten thousand patients cost ten thousand states,
/// not ten thousand sub-graphs. A key silent for <see cref="PerKeySettings.IdleTimeout"/> is
/// passivated (timers run on the materializer's scheduler, so a <c>TestScheduler</c> drives them),
/// and at most <see cref="PerKeySettings.MaxKeys"/> keys are live (the least recently active goes).
/// <para><b>Emits</b> one output per input, when <c>step</c> returns.</para>
/// <para><b>Backpressures</b> when downstream backpressures.</para>
/// <para><b>Completes</b> when upstream completes (every live key is passivated with <see cref="PassivationReason.StreamEnded"/>).</para>
/// <para><b>Cancels</b> when downstream cancels.</para>
/// <para><b>Fails</b> when <c>key</c>, <c>create</c> or <c>step</c> throws and the stage's <c>SupervisionStrategy</c>
/// attribute says Stop (the default). Resume drops the element and keeps the key's state; Restart drops the
/// element and the key's state (the key starts afresh).</para>
/// </summary>
/// <typeparam name="TIn">Input element.</typeparam>
/// <typeparam name="TKey">Key (e.g. patient id).</typeparam>
/// <typeparam name="TState">Per-key state, owned by the stage (never touched concurrently).</typeparam>
/// <typeparam name="TOut">Output element.</typeparam>
public sealed class PerKeyStage<TIn, TKey, TState, TOut> : GraphStage<FlowShape<TIn, TOut>> where TKey : notnull
{
    private readonly Func<TIn, TKey> _key;
    private readonly Func<TKey, TState> _create;
    private readonly Func<TState, TIn, TOut> _step;
    private readonly PerKeySettings _settings;
    private readonly IEqualityComparer<TKey>? _comparer;
    private readonly Action<TKey, TState, PassivationReason>? _onPassivated;

    /// <summary>Creates the stage.</summary>
    /// <param name="key">The element's key.</param>
    /// <param name="create">A key's fresh state.</param>
    /// <param name="step">Updates the key's state with the element and returns the output.</param>
    /// <param name="settings">Bounds; defaults when null.</param>
    /// <param name="comparer">Key equality; default comparer when null.</param>
    /// <param name="onPassivated">Called (on the stage's thread) when a key's state is released, with the reason.</param>
    public PerKeyStage(Func<TIn, TKey> key, Func<TKey, TState> create, Func<TState, TIn, TOut> step, PerKeySettings? settings = null,
        IEqualityComparer<TKey>? comparer = null, Action<TKey, TState, PassivationReason>? onPassivated = null)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _create = create ?? throw new ArgumentNullException(nameof(create));
        _step = step ?? throw new ArgumentNullException(nameof(step));
        _settings = settings ?? new PerKeySettings();
        _settings.Validate();
        _comparer = comparer;
        _onPassivated = onPassivated;
        Shape = new FlowShape<TIn, TOut>(In, Out);
    }

    /// <summary>The input port.</summary>
    public Inlet<TIn> In { get; } = new("perKey.in");

    /// <summary>The output port.</summary>
    public Outlet<TOut> Out { get; } = new("perKey.out");

    /// <inheritdoc />
    public override FlowShape<TIn, TOut> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("perKey");

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, inheritedAttributes);

    private sealed class Entry(TKey key, TState state)
    {
        public TKey Key { get; } = key;
        public TState State { get; } = state;
        public long LastTick { get; set; }
    }

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private const string IdleTimer = "idle";
        private readonly PerKeyStage<TIn, TKey, TState, TOut> _stage;
        private readonly Decider _decider;
        private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries;
        // Least recently active first: eviction and idle checks look at the head only.
        private readonly LinkedList<Entry> _recency = new();
        // Idle time is counted in timer ticks, so the hot path reads no clock.
        private long _tick;

        public Logic(PerKeyStage<TIn, TKey, TState, TOut> stage, Attributes attributes) : base(stage.Shape)
        {
            _stage = stage;
            _decider = attributes.GetAttribute(new ActorAttributes.SupervisionStrategy(Deciders.StoppingDecider)).Decider;
            _entries = new Dictionary<TKey, LinkedListNode<Entry>>(stage._comparer);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            if (_stage._settings.IdleTimeout is { } idle)
                ScheduleRepeatedly(IdleTimer, idle / _stage._settings.IdleChecksPerTimeout);
        }

        public override void PostStop()
        {
            foreach (var entry in _recency) _stage._onPassivated?.Invoke(entry.Key, entry.State, PassivationReason.StreamEnded);
            _recency.Clear();
            _entries.Clear();
        }

        public void OnPush()
        {
            var element = Grab(_stage.In);
            LinkedListNode<Entry>? node = null;
            TOut output;
            try
            {
                var key = _stage._key(element);
                node = Touch(key);
                output = _stage._step(node.Value.State, element);
            }
            catch (Exception e)
            {
                switch (_decider(e))
                {
                    case Directive.Stop:
                        FailStage(e);
                        return;
                    case Directive.Restart when node is not null:
                        Remove(node, PassivationReason.Restarted);
                        break;
                }
                Pull(_stage.In);
                return;
            }
            Push(_stage.Out, output);
        }

        public void OnUpstreamFinish() => CompleteStage();

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull() => Pull(_stage.In);

        public void OnDownstreamFinish(Exception cause) => CancelStage(cause);

        protected override void OnTimer(object timerKey)
        {
            _tick++;
            // A key last seen this many ticks ago has been silent for at least the idle timeout.
            var limit = _stage._settings.IdleChecksPerTimeout;
            while (_recency.First is { } oldest && _tick - oldest.Value.LastTick > limit)
                Remove(oldest, PassivationReason.Idle);
        }

        private LinkedListNode<Entry> Touch(TKey key)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (node != _recency.Last)
                {
                    _recency.Remove(node);
                    _recency.AddLast(node);
                }
            }
            else
            {
                if (_entries.Count >= _stage._settings.MaxKeys) Remove(_recency.First!, PassivationReason.Evicted);
                node = _recency.AddLast(new Entry(key, _stage._create(key)));
                _entries.Add(key, node);
            }
            node.Value.LastTick = _tick;
            return node;
        }

        private void Remove(LinkedListNode<Entry> node, PassivationReason reason)
        {
            _recency.Remove(node);
            _entries.Remove(node.Value.Key);
            _stage._onPassivated?.Invoke(node.Value.Key, node.Value.State, reason);
        }
    }
}
