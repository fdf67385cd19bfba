using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// The loop that drives a fused island from its end: pulls synchronously until the island has
/// nothing ready, then parks on the island's wait. Subclasses consume elements.
/// Backpressures: by not pulling while consuming. Completes: when upstream completes.
/// Fails: when upstream fails or consuming throws (then upstream is cancelled).
/// </summary>
internal abstract class SinkLoop<T>
{
    private const int CancellationCheckInterval = 1024;
    protected readonly StageRuntime Stage;
    private readonly Outlet<T> _input;

    protected SinkLoop(MaterializationContext context, Outlet<T> input, StageRuntime stage)
    {
        _input = input;
        Stage = stage;
        context.Start(stage.Name, RunAsync);
    }

    protected abstract void OnNext(T element);

    protected abstract void OnComplete();

    protected abstract void OnError(Exception error);

    private async Task RunAsync(LoopActivity activity, CancellationToken cancellationToken)
    {
        var context = Stage.Context;
        try
        {
            var sinceCheck = 0;
            while (true)
            {
                while (_input.TryPull(out var element))
                {
                    Stage.In++;
                    OnNext(element);
                    if (++sinceCheck == CancellationCheckInterval)
                    {
                        sinceCheck = 0;
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
                var wait = _input.WaitAsync(cancellationToken);
                var more = wait.IsCompleted ? wait.GetAwaiter().GetResult() : await context.ParkAsync(wait, activity).ConfigureAwait(false);
                if (!more) break;
            }
            OnComplete();
        }
        catch (Exception e)
        {
            _input.Cancel();
            // Let a failure elsewhere in the graph (which cancelled us) win over our cancellation.
            if (e is not OperationCanceledException) context.Fail(e);
            OnError(context.ErrorOr(e));
            if (e is not OperationCanceledException) throw;
        }
    }
}

/// <summary>Completes a task when the stream ends, calling an action per element.</summary>
internal sealed class ForEachSink<T>(MaterializationContext context, Outlet<T> input, StageRuntime stage, Action<T> action)
    : SinkLoop<T>(context, input, stage)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    protected override void OnNext(T element)
    {
        var start = Stage.SampleStart();
        action(element);
        Stage.SampleEnd(start);
    }

    protected override void OnComplete() => _done.TrySetResult();

    protected override void OnError(Exception error)
    {
        if (error is OperationCanceledException) _done.TrySetCanceled();
        else _done.TrySetException(error);
    }
}

/// <summary>Folds every element into an accumulator; the task yields the final value.</summary>
internal sealed class AggregateSink<T, TAccumulate>(MaterializationContext context, Outlet<T> input, StageRuntime stage,
    TAccumulate seed, Func<TAccumulate, T, TAccumulate> fold)
    : SinkLoop<T>(context, input, stage)
{
    private readonly TaskCompletionSource<TAccumulate> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TAccumulate _accumulator = seed;

    public Task<TAccumulate> Result => _done.Task;

    protected override void OnNext(T element) => _accumulator = fold(_accumulator, element);

    protected override void OnComplete() => _done.TrySetResult(_accumulator);

    protected override void OnError(Exception error)
    {
        if (error is OperationCanceledException) _done.TrySetCanceled();
        else _done.TrySetException(error);
    }
}
