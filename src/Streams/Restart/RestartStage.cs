using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Runs an inner stream built by a factory and, when it fails (or also completes, when asked),
/// builds and runs a fresh one after an exponential backoff on the materializer's clock.
/// Emits: the inner stream's elements. Completes: when the inner stream completes (unless
/// restarting on completion too) or is cancelled. Fails: when restarts are exhausted.
/// The stages of a dead inner stream are dropped from the metrics; restarts are counted on this stage.
/// </summary>
internal sealed class RestartStage<T> : Outlet<T>
{
    private readonly MaterializationContext _context;
    private readonly Func<StageNode<T>> _build;
    private readonly RestartSettings _settings;
    private readonly bool _restartOnComplete;
    private readonly StageRuntime _stage;
    private readonly Random _random = new();
    private Outlet<T>? _inner;
    private List<StageRuntime> _innerStages = new();
    private Task? _backoff;
    private int _attempt;
    private bool _done;

    private readonly Action? _onCancel;

    public RestartStage(MaterializationContext context, Func<StageNode<T>> build, RestartSettings settings, bool restartOnComplete, StageRuntime stage, Action? onCancel = null)
    {
        _onCancel = onCancel;
        _context = context;
        _build = build;
        _settings = settings;
        _restartOnComplete = restartOnComplete;
        _stage = stage;
        Start();
    }

    private void Start()
    {
        _inner = _context.BuildScoped(() => _build().Build(_context), out var stages);
        _innerStages = stages;
    }

    public override bool TryPull(out T item)
    {
        item = default!;
        if (_done || _inner is null) return false;
        try
        {
            if (!_inner.TryPull(out item)) return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ScheduleRestart(e);
            return false;
        }
        _attempt = 0;
        _stage.Out++;
        return true;
    }

    public override ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_done) return new(false);
        if (_inner is null) return WaitBackoffAsync(cancellationToken);
        return WaitInnerAsync(_inner, cancellationToken);
    }

    private async ValueTask<bool> WaitInnerAsync(Outlet<T> inner, CancellationToken cancellationToken)
    {
        bool more;
        try { more = await inner.WaitAsync(cancellationToken).ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ScheduleRestart(e);
            return true;
        }
        if (more) return true;
        if (!_restartOnComplete) { _done = true; return false; }
        ScheduleRestart(null);
        return true;
    }

    private async ValueTask<bool> WaitBackoffAsync(CancellationToken cancellationToken)
    {
        await _backoff!.WaitAsync(cancellationToken).ConfigureAwait(false);
        _backoff = null;
        Start();
        return true;
    }

    private void ScheduleRestart(Exception? error)
    {
        _inner?.Cancel();
        _inner = null;
        _context.RemoveStages(_innerStages);
        _attempt++;
        if (_settings.MaxRestarts is { } max && _attempt > max)
        {
            _done = true;
            throw error is null ? new StageFailedException(_stage.Name, new InvalidOperationException($"gave up after {max} restarts"))
                : new StageFailedException(_stage.Name, error);
        }
        _stage.Restarts++;
        var delay = _settings.BackoffFor(_attempt);
        if (_settings.RandomFactor > 0) delay += TimeSpan.FromTicks((long)(delay.Ticks * _settings.RandomFactor * _random.NextDouble()));
        _backoff = Task.Delay(delay, _context.TimeProvider);
    }

    public override void Cancel()
    {
        _done = true;
        _inner?.Cancel();
        _onCancel?.Invoke();
    }
}
