using System.Threading.Channels;
using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams;

/// <summary>
/// A bounded source fed from outside the graph (live ingest: device readings, uploads).
/// <see cref="OfferAsync"/> waits while the queue is full, so the producer is backpressured by
/// the graph; <see cref="Complete"/> ends the stream after what was offered; <see cref="Fail"/>
/// fails it. Any number of producers may offer concurrently. Its <see cref="Source"/> can be
/// materialized once.
/// </summary>
public sealed class SourceQueue<T>
{
    private readonly Channel<T> _channel;
    private Exception? _failure;
    private int _materialized;

    /// <summary>Creates a queue holding up to <paramref name="capacity"/> elements not yet pulled.</summary>
    public SourceQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            AllowSynchronousContinuations = true,
        });
        Source = new Source<T>(StageNode<T>.Leaf("Queue", (_, stage) =>
        {
            if (Interlocked.Exchange(ref _materialized, 1) != 0)
                throw new GraphValidationException($"SourceQueue '{stage.Name}' can be materialized only once.", [stage.Name]);
            stage.QueueDepth = () => _channel.Reader.Count;
            return new QueueOutlet(this, stage);
        }));
    }

    /// <summary>The source to put in a graph.</summary>
    public Source<T> Source { get; }

    /// <summary>How many elements the queue holds before offers wait.</summary>
    public int Capacity { get; }

    /// <summary>Elements offered but not yet pulled by the graph.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>
    /// Offers an element, waiting while the queue is full. True when accepted; false when the
    /// stream was completed, failed or cancelled (the element was not accepted).
    /// </summary>
    public ValueTask<bool> OfferAsync(T element, CancellationToken cancellationToken = default)
    {
        if (_channel.Writer.TryWrite(element)) return new(true);
        return OfferSlowAsync(element, cancellationToken);
    }

    private async ValueTask<bool> OfferSlowAsync(T element, CancellationToken cancellationToken)
    {
        while (await _channel.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
            if (_channel.Writer.TryWrite(element)) return true;
        return false;
    }

    /// <summary>Offers without waiting: false when full or closed.</summary>
    public bool TryOffer(T element) => _channel.Writer.TryWrite(element);

    /// <summary>Ends the stream once the graph has pulled what was offered.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Fails the stream (after the elements already offered) with <paramref name="error"/>.</summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Interlocked.CompareExchange(ref _failure, error, null);
        _channel.Writer.TryComplete();
    }

    private sealed class QueueOutlet(SourceQueue<T> queue, StageRuntime stage) : Outlet<T>
    {
        public override bool TryPull(out T item)
        {
            if (!queue._channel.Reader.TryRead(out item!)) return false;
            stage.Out++;
            return true;
        }

        public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
        {
            var wait = queue._channel.Reader.WaitToReadAsync(cancellationToken);
            if (wait.IsCompletedSuccessfully && (wait.Result || queue._failure is null)) return wait;
            return WaitSlowAsync(wait);
        }

        private async ValueTask<bool> WaitSlowAsync(ValueTask<bool> wait)
        {
            if (await wait.ConfigureAwait(false)) return true;
            if (Volatile.Read(ref queue._failure) is { } failure) throw new StageFailedException(stage.Name, failure);
            return false;
        }

        public override void Cancel() => queue._channel.Writer.TryComplete();
    }
}
