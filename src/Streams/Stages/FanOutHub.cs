using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// A fan-out stage: one pump pulls upstream and routes each element into the bounded rings of
/// its outputs; each output is read by its own branch. Subclasses choose the route.
/// Backpressures: upstream when a chosen output's ring is full. Completes: every output after
/// upstream completes. Cancels: upstream when every output cancelled (a cancelled output is
/// skipped). Fails: every output with upstream's error.
/// </summary>
internal abstract class FanOutHub<T>
{
    private readonly Outlet<T> _upstream;
    private readonly bool[] _connected;
    private readonly Task<bool>?[] _pendingSpace;
    protected readonly StageRuntime Stage;
    protected readonly SpscRing<T>[] Outputs;

    protected FanOutHub(MaterializationContext context, Outlet<T> upstream, int outputs, StageRuntime stage, bool outputsFilter)
    {
        _upstream = upstream;
        Stage = stage;
        Outputs = Enumerable.Range(0, outputs).Select(_ => new SpscRing<T>(context.Materializer.Options.DefaultBufferSize, context.CancellationToken)).ToArray();
        _connected = new bool[outputs];
        _pendingSpace = new Task<bool>?[outputs];
        OutputsFilter = outputsFilter;
        stage.QueueDepth = () => Outputs.Sum(o => o.Count);
        context.AddValidation(() =>
        {
            var missing = Enumerable.Range(0, outputs).Where(i => !_connected[i]).ToList();
            if (missing.Count > 0)
                throw new GraphValidationException(
                    $"Fan-out stage '{stage.Name}' has unconnected output(s) {string.Join(", ", missing)}: every output must be consumed in the same materialization, or the stage would stall.",
                    [stage.Name]);
        });
        context.Start(stage.Name, PumpAsync);
    }

    /// <summary>Whether each output sees only some elements (Partition, Balance): matters for Zip.</summary>
    public bool OutputsFilter { get; }

    public Outlet<T> Connect(int index)
    {
        if (_connected[index])
            throw new GraphValidationException($"Output {index} of fan-out stage '{Stage.Name}' is connected twice.", [Stage.Name]);
        _connected[index] = true;
        var outlet = new RingOutlet<T>(Outputs[index]);
        var origin = Provenance.Origin(this, Stage.Name);
        outlet.Provenance = new Provenance(_upstream.Provenance.Through(Stage.Name).Lines.AddRange(
            OutputsFilter ? origin.Through($"{Stage.Name}[{index}]", filters: true).Lines : origin.Through($"{Stage.Name}[{index}]").Lines));
        return outlet;
    }

    /// <summary>Routes one element: writes it into zero or more outputs, waiting for space as needed.</summary>
    protected abstract ValueTask RouteAsync(T element, LoopActivity activity, CancellationToken cancellationToken);

    protected bool AllCancelled => Outputs.All(o => o.IsReaderCancelled);

    /// <summary>Writes into one output, parking while it is full. False when that output cancelled.</summary>
    protected async ValueTask<bool> WriteAsync(int index, T element, LoopActivity activity, CancellationToken cancellationToken)
    {
        var ring = Outputs[index];
        while (!ring.TryWrite(element))
        {
            if (ring.IsReaderCancelled) return false;
            var space = await WaitSpaceAsync(index, activity, cancellationToken).ConfigureAwait(false);
            if (!space) return false;
        }
        return true;
    }

    /// <summary>Waits for space in output <paramref name="index"/>, reusing a pending wait.</summary>
    protected async ValueTask<bool> WaitSpaceAsync(int index, LoopActivity activity, CancellationToken cancellationToken)
    {
        var task = PendingSpace(index, cancellationToken);
        if (!task.IsCompleted) await Stage.Context.ParkAsync(task, activity).ConfigureAwait(false);
        _pendingSpace[index] = null;
        return await task.ConfigureAwait(false);
    }

    /// <summary>A task completing when output <paramref name="index"/> has space (or cancelled).</summary>
    protected Task<bool> PendingSpace(int index, CancellationToken cancellationToken)
    {
        if (_pendingSpace[index] is { } pending) return pending;
        Outputs[index].FlushWrites();
        var wait = Outputs[index].WaitToWriteAsync(cancellationToken);
        var task = wait.IsCompleted ? Task.FromResult(wait.GetAwaiter().GetResult()) : wait.AsTask();
        if (!task.IsCompleted) _pendingSpace[index] = task;
        return task;
    }

    protected void ClearCompletedPending()
    {
        for (var i = 0; i < _pendingSpace.Length; i++)
            if (_pendingSpace[i] is { IsCompleted: true }) _pendingSpace[i] = null;
    }

    private async Task PumpAsync(LoopActivity activity, CancellationToken cancellationToken)
    {
        var context = Stage.Context;
        try
        {
            while (!AllCancelled)
            {
                while (_upstream.TryPull(out var element))
                {
                    Stage.In++;
                    await RouteAsync(element, activity, cancellationToken).ConfigureAwait(false);
                    if (AllCancelled) break;
                }
                foreach (var o in Outputs) o.FlushWrites();
                if (AllCancelled) break;
                var wait = _upstream.WaitAsync(cancellationToken);
                var more = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await context.ParkAsync(wait, activity).ConfigureAwait(false);
                if (!more) break;
            }
            if (AllCancelled) _upstream.Cancel();
            foreach (var o in Outputs) o.Complete();
        }
        catch (Exception e)
        {
            var error = context.ErrorOr(e);
            foreach (var o in Outputs) o.Complete(error);
            _upstream.Cancel();
            // Downstream receives the error and decides (fail the graph, or Recover).
        }
    }
}

/// <summary>
/// Broadcast: every element to every (non-cancelled) output.
/// Emits: on every output. Backpressures: when any output is full (the slowest branch sets the pace).
/// </summary>
internal sealed class BroadcastHub<T>(MaterializationContext context, Outlet<T> upstream, int outputs, StageRuntime stage)
    : FanOutHub<T>(context, upstream, outputs, stage, outputsFilter: false)
{
    protected override async ValueTask RouteAsync(T element, LoopActivity activity, CancellationToken cancellationToken)
    {
        for (var i = 0; i < Outputs.Length; i++)
            if (!Outputs[i].IsReaderCancelled) await WriteAsync(i, element, activity, cancellationToken).ConfigureAwait(false);
        Stage.Out++;
    }
}

/// <summary>
/// Partition: each element to the one output a selector chooses.
/// Emits: on the chosen output. Backpressures: when the chosen output is full. Fails: when the
/// selector throws or returns an index out of range (under the stage's supervision).
/// </summary>
internal sealed class PartitionHub<T>(MaterializationContext context, Outlet<T> upstream, int outputs, Func<T, int> selector, StageRuntime stage)
    : FanOutHub<T>(context, upstream, outputs, stage, outputsFilter: true)
{
    protected override async ValueTask RouteAsync(T element, LoopActivity activity, CancellationToken cancellationToken)
    {
        int index;
        try
        {
            index = selector(element);
            if ((uint)index >= (uint)Outputs.Length)
                throw new ArgumentOutOfRangeException(nameof(element), index, $"Partition selector chose output {index} of {Outputs.Length}.");
        }
        catch (Exception e) { Stage.Handle(e, element); return; }
        if (!Outputs[index].IsReaderCancelled && await WriteAsync(index, element, activity, cancellationToken).ConfigureAwait(false))
            Stage.Out++;
    }
}

/// <summary>
/// Balance: each element to the first output with space (round robin among free ones), for
/// spreading work over parallel workers. Backpressures: when every output is full.
/// </summary>
internal sealed class BalanceHub<T>(MaterializationContext context, Outlet<T> upstream, int outputs, StageRuntime stage)
    : FanOutHub<T>(context, upstream, outputs, stage, outputsFilter: true)
{
    private int _next;

    protected override async ValueTask RouteAsync(T element, LoopActivity activity, CancellationToken cancellationToken)
    {
        while (true)
        {
            for (var k = 0; k < Outputs.Length; k++)
            {
                var i = (_next + k) % Outputs.Length;
                if (Outputs[i].IsReaderCancelled || !Outputs[i].TryWrite(element)) continue;
                _next = (i + 1) % Outputs.Length;
                Stage.Out++;
                return;
            }
            if (AllCancelled) return;
            var waits = Enumerable.Range(0, Outputs.Length).Where(i => !Outputs[i].IsReaderCancelled)
                .Select(i => PendingSpace(i, cancellationToken)).ToArray();
            if (!waits.Any(w => w.IsCompleted))
                await Stage.Context.ParkAsync(Task.WhenAny(waits), activity).ConfigureAwait(false);
            ClearCompletedPending();
        }
    }
}
