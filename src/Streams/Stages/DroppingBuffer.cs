using System.Threading.Channels;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// A buffer that never backpressures: a pump pulls upstream as fast as it can and, when the
/// buffer is full, drops the oldest buffered element or the arriving one.
/// Emits: when the buffer has elements. Backpressures: never (that is the point; drops are
/// counted in the stage's Dropped metric). Completes: after upstream completes and the buffer
/// drained. Cancels: stops the pump and cancels upstream. Fails: with upstream's error.
/// </summary>
internal sealed class DroppingBuffer<T> : Outlet<T>
{
    private readonly Outlet<T> _upstream;
    private readonly StageRuntime _stage;
    private readonly Channel<T> _channel;
    private Exception? _error;

    public DroppingBuffer(MaterializationContext context, Outlet<T> upstream, StageRuntime stage, int capacity, bool dropOldest)
    {
        _upstream = upstream;
        _stage = stage;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = dropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.DropWrite,
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = true,
        }, _ => Interlocked.Increment(ref stage.Dropped));
        stage.QueueDepth = () => _channel.Reader.Count;
        context.Start(stage.Name, PumpAsync);
    }

    public override bool TryPull(out T item)
    {
        if (!_channel.Reader.TryRead(out item!)) return false;
        _stage.Out++;
        return true;
    }

    public override async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) return true;
        if (_error is { } e) throw e;
        return false;
    }

    public override void Cancel() => _channel.Writer.TryComplete();

    private async Task PumpAsync(LoopActivity activity, CancellationToken cancellationToken)
    {
        var context = _stage.Context;
        try
        {
            while (true)
            {
                while (_upstream.TryPull(out var element))
                {
                    _stage.In++;
                    if (!_channel.Writer.TryWrite(element)) { _upstream.Cancel(); return; } // completed by Cancel
                }
                cancellationToken.ThrowIfCancellationRequested();
                var wait = _upstream.WaitAsync(cancellationToken);
                var more = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await context.ParkAsync(wait, activity).ConfigureAwait(false);
                if (!more) break;
            }
            _channel.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _error = context.ErrorOr(e);
            _channel.Writer.TryComplete();
            _upstream.Cancel();
            // Downstream receives the error and decides (fail the graph, or Recover).
        }
    }
}
