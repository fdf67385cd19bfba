using Akka.Streams;
using Akka.Streams.Stage;

namespace Vigil.Video.Sources;

/// <summary>
/// A bounded buffer for live sources: it always pulls upstream, and when full it drops the oldest
/// element (disposing it when it is <see cref="IDisposable"/>) and counts the drop, so a slow
/// consumer sees the newest frames and a camera is never stalled. The counter is the materialized value.
/// <para><b>Emits</b> the oldest buffered element when downstream pulls.</para>
/// <para><b>Backpressures</b> never (drops instead).</para>
/// <para><b>Completes</b> when upstream completes and the buffer is empty.</para>
/// <para><b>Cancels</b> when downstream cancels (buffered elements are disposed).</para>
/// <para><b>Fails</b> when upstream fails (buffered elements are disposed).</para>
/// </summary>
/// <typeparam name="T">The element (a frame).</typeparam>
public sealed class DropOldestStage<T> : GraphStageWithMaterializedValue<FlowShape<T, T>, DropCounter>
{
    private readonly int _capacity;

    /// <summary>Creates the stage with room for <paramref name="capacity"/> elements.</summary>
    public DropOldestStage(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        Shape = new FlowShape<T, T>(In, Out);
    }

    /// <summary>The input port.</summary>
    public Inlet<T> In { get; } = new("dropOldest.in");

    /// <summary>The output port.</summary>
    public Outlet<T> Out { get; } = new("dropOldest.out");

    /// <inheritdoc />
    public override FlowShape<T, T> Shape { get; }

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<DropCounter> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var counter = new DropCounter();
        return new LogicAndMaterializedValue<DropCounter>(new Logic(this, counter), counter);
    }

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly DropOldestStage<T> _stage;
        private readonly DropCounter _counter;
        // Buffered elements, oldest first; never more than the capacity.
        private readonly Queue<T> _buffer = new();

        public Logic(DropOldestStage<T> stage, DropCounter counter) : base(stage.Shape)
        {
            _stage = stage;
            _counter = counter;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => Pull(_stage.In);

        public override void OnPush()
        {
            var element = Grab(_stage.In);
            if (_buffer.Count == 0 && IsAvailable(_stage.Out)) Push(_stage.Out, element);
            else
            {
                if (_buffer.Count == _stage._capacity)
                {
                    (_buffer.Dequeue() as IDisposable)?.Dispose();
                    _counter.Increment();
                }
                _buffer.Enqueue(element);
            }
            Pull(_stage.In);
        }

        public override void OnPull()
        {
            if (_buffer.Count > 0)
            {
                Push(_stage.Out, _buffer.Dequeue());
                if (_buffer.Count == 0 && IsClosed(_stage.In)) CompleteStage();
            }
            else if (IsClosed(_stage.In)) CompleteStage();
        }

        public override void OnUpstreamFinish()
        {
            if (_buffer.Count == 0) CompleteStage();
        }

        public override void OnUpstreamFailure(Exception e)
        {
            DisposeBuffered();
            FailStage(e);
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            DisposeBuffered();
            base.OnDownstreamFinish(cause);
        }

        private void DisposeBuffered()
        {
            while (_buffer.Count > 0) (_buffer.Dequeue() as IDisposable)?.Dispose();
        }
    }
}
