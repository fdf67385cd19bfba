using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// The runtime of a <see cref="FeedbackLoop{T}"/>: a bounded ring written by the loop's sink end
/// (a pump) and read by its source end. The sink end refuses, at materialization, a cycle that
/// has no explicit buffer (Buffer or Async) on it, naming the stages of the cycle.
/// </summary>
internal sealed class FeedbackChannel<T>
{
    private readonly SpscRing<T> _ring;
    private bool _sourceConnected;
    private bool _sinkConnected;

    public FeedbackChannel(MaterializationContext context, StageRuntime stage)
    {
        Stage = stage;
        _ring = new SpscRing<T>(context.Materializer.Options.DefaultBufferSize, context.CancellationToken);
        stage.QueueDepth = () => _ring.Count;
        context.AddValidation(() =>
        {
            if (!_sourceConnected || !_sinkConnected)
                throw new GraphValidationException(
                    $"Feedback loop '{stage.Name}' must have both its Source and its Sink in the same materialization.", [stage.Name]);
        });
    }

    public StageRuntime Stage { get; }

    public Outlet<T> ConnectSource()
    {
        if (_sourceConnected) throw new GraphValidationException($"Feedback loop '{Stage.Name}' source is connected twice.", [Stage.Name]);
        _sourceConnected = true;
        return new RingOutlet<T>(_ring) { Provenance = Provenance.Origin(this, Stage.Name) };
    }

    public Task ConnectSink(MaterializationContext context, Outlet<T> upstream)
    {
        if (_sinkConnected) throw new GraphValidationException($"Feedback loop '{Stage.Name}' sink is connected twice.", [Stage.Name]);
        _sinkConnected = true;
        foreach (var line in upstream.Provenance.Lines.Where(l => ReferenceEquals(l.Origin, this) && !l.Buffered))
        {
            var cycle = line.Path.Add(Stage.Name);
            throw new GraphValidationException(
                $"Cycle without a buffer can deadlock: {string.Join(" -> ", cycle)}. Put a Buffer(...) or Async() on the cycle.", cycle);
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Start(Stage.Name + ".sink", async (activity, ct) =>
        {
            try
            {
                while (true)
                {
                    while (upstream.TryPull(out var element))
                    {
                        Stage.In++;
                        while (!_ring.TryWrite(element))
                        {
                            _ring.FlushWrites();
                            var space = _ring.WaitToWriteAsync(ct);
                            var ok = space.IsCompleted ? space.GetAwaiter().GetResult() : await context.ParkAsync(space, activity).ConfigureAwait(false);
                            if (!ok) { upstream.Cancel(); done.TrySetResult(); return; }
                        }
                        Stage.Out++;
                    }
                    _ring.FlushWrites();
                    var wait = upstream.WaitAsync(ct);
                    var more = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await context.ParkAsync(wait, activity).ConfigureAwait(false);
                    if (!more) break;
                }
                _ring.Complete();
                done.TrySetResult();
            }
            catch (Exception e)
            {
                _ring.Complete(context.ErrorOr(e));
                upstream.Cancel();
                if (e is OperationCanceledException) done.TrySetCanceled(); else done.TrySetException(e);
                if (e is not OperationCanceledException) throw;
            }
        });
        return done.Task;
    }
}
