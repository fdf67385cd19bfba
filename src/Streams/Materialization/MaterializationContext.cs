using System.Collections.Concurrent;
using Vigil.Streams.Dsl;
using Vigil.Streams.Fusion;

namespace Vigil.Streams.Materialization;

/// <summary>
/// Everything one materialization shares: the clock, cancellation, the stages and loops it
/// created, shared hubs (fan-out nodes used by several branches), dead letters and completion.
/// </summary>
internal sealed class MaterializationContext
{
    private const int DeadLetterHistory = 1024;
    private readonly CancellationTokenSource _cts = new();
    private readonly List<StageRuntime> _stages = new();
    private readonly List<LoopActivity> _loops = new();
    private readonly Dictionary<object, object> _shared = new(ReferenceEqualityComparer.Instance);
    private readonly List<Action> _validations = new();
    private readonly List<(LoopActivity, Func<LoopActivity, CancellationToken, Task>)> _deferred = new();
    private readonly ConcurrentQueue<DeadLetter> _deadLetters = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, int> _kindCounters = new(StringComparer.Ordinal);
    private TaskCompletionSource? _idlePulse;
    private Exception? _error;
    private int _running = 1; // the build itself holds one count until Seal
    private bool _sealed;

    public MaterializationContext(Materializer materializer, string graphName)
    {
        Materializer = materializer;
        GraphName = graphName;
    }

    public Materializer Materializer { get; }
    public string GraphName { get; }
    public TimeProvider TimeProvider => Materializer.Options.TimeProvider;
    public CancellationToken CancellationToken => _cts.Token;
    public Task Completion => _completion.Task;
    public Exception? Error => Volatile.Read(ref _error);

    public IReadOnlyList<StageRuntime> Stages { get { lock (_stages) return _stages.ToArray(); } }
    public IReadOnlyList<DeadLetter> DeadLetters => _deadLetters.ToArray();

    /// <summary>Creates the runtime for one stage, naming it kind#n unless it was <c>Named</c>.</summary>
    public StageRuntime CreateStage(StageAttributes attributes, string kind)
    {
        string name;
        lock (_stages)
        {
            _kindCounters.TryGetValue(kind, out var n);
            _kindCounters[kind] = ++n;
            name = attributes.Name ?? $"{kind}#{n}";
            if (attributes.Name is not null && _stages.Any(s => s.Name == name)) name = $"{name}#{n}";
        }
        var stage = new StageRuntime(this, name, kind, attributes.Decider ?? Materializer.Options.Decider);
        lock (_stages) _stages.Add(stage);
        t_scope?.Add(stage);
        return stage;
    }

    // Stages created while a substream is being built, so they can be forgotten when it ends.
    [ThreadStatic] private static List<StageRuntime>? t_scope;

    /// <summary>Builds something and returns the stages created meanwhile (on this thread).</summary>
    public TResult BuildScoped<TResult>(Func<TResult> build, out List<StageRuntime> stages)
    {
        var outer = t_scope;
        stages = new List<StageRuntime>();
        t_scope = stages;
        try { return build(); }
        finally { t_scope = outer; outer?.AddRange(stages); }
    }

    /// <summary>Forgets the metrics of stages that ended (finished substreams), so live keys bound memory.</summary>
    public void RemoveStages(IReadOnlyCollection<StageRuntime> stages)
    {
        lock (_stages) _stages.RemoveAll(stages.Contains);
    }

    /// <summary>Returns the object shared under <paramref name="key"/> in this materialization.</summary>
    public TValue GetOrAddShared<TValue>(object key, Func<TValue> create) where TValue : class
    {
        lock (_shared)
        {
            if (_shared.TryGetValue(key, out var existing)) return (TValue)existing;
        }
        var created = create();
        lock (_shared)
        {
            if (_shared.TryGetValue(key, out var existing)) return (TValue)existing;
            _shared[key] = created;
            return created;
        }
    }

    /// <summary>Registers a check run after the whole graph is built (e.g. all hub outputs wired).</summary>
    public void AddValidation(Action check) => _validations.Add(check);

    /// <summary>Starts a loop; during the build it is deferred until the graph validated.</summary>
    public void Start(string name, Func<LoopActivity, CancellationToken, Task> body)
    {
        var activity = new LoopActivity(name);
        lock (_loops)
        {
            _loops.RemoveAll(static l => l.IsFinished);
            _loops.Add(activity);
            Interlocked.Increment(ref _running);
            if (!_sealed) { _deferred.Add((activity, body)); return; }
        }
        Launch(activity, body);
    }

    private void Launch(LoopActivity activity, Func<LoopActivity, CancellationToken, Task> body) =>
        _ = Task.Run(async () =>
        {
            try { await body(activity, _cts.Token).ConfigureAwait(false); }
            catch (Exception e) { Fail(e); }
            finally
            {
                activity.Finish();
                PulseIdle();
                if (Interlocked.Decrement(ref _running) == 0) Finish();
            }
        });

    /// <summary>Runs validations, then launches the deferred loops.</summary>
    public void Seal()
    {
        foreach (var check in _validations) check();
        List<(LoopActivity, Func<LoopActivity, CancellationToken, Task>)> toStart;
        lock (_loops) { _sealed = true; toStart = _deferred.ToList(); _deferred.Clear(); }
        foreach (var (activity, body) in toStart) Launch(activity, body);
        if (Interlocked.Decrement(ref _running) == 0) Finish();
    }

    /// <summary>Fails the graph with its first error and cancels every loop.</summary>
    public void Fail(Exception error)
    {
        if (error is OperationCanceledException && _cts.IsCancellationRequested) return;
        Interlocked.CompareExchange(ref _error, error, null);
        Cancel();
    }

    public void Cancel()
    {
        try { _cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>The graph's first error when there is one, otherwise <paramref name="local"/>.</summary>
    public Exception ErrorOr(Exception local) => Error ?? local;

    private void Finish()
    {
        if (Error is { } e) _completion.TrySetException(e);
        else if (_cts.IsCancellationRequested) _completion.TrySetCanceled(_cts.Token);
        else _completion.TrySetResult();
        PulseIdle();
    }

    public void PublishDeadLetter(DeadLetter letter)
    {
        _deadLetters.Enqueue(letter);
        while (_deadLetters.Count > DeadLetterHistory) _deadLetters.TryDequeue(out _);
        try { Materializer.Options.DeadLetters?.Publish(letter); }
        catch (Exception e) { Fail(new StageFailedException(letter.Stage, e)); }
    }

    /// <summary>Awaits a wait that did not complete synchronously, marking the loop parked meanwhile.</summary>
    public async ValueTask<bool> ParkAsync(ValueTask<bool> pending, LoopActivity activity)
    {
        var task = pending.AsTask();
        activity.Park(task);
        PulseIdle();
        try
        {
            await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Signals complete synchronously (so the parked task reads completed at once); hop to
            // the pool so the loop never runs on the signalling thread.
            await default(ThreadPoolYield);
            return await task.ConfigureAwait(false);
        }
        finally { activity.Unpark(); }
    }

    /// <summary>Awaits a task, marking the loop parked meanwhile.</summary>
    public async ValueTask ParkAsync(Task task, LoopActivity activity)
    {
        activity.Park(task);
        PulseIdle();
        try
        {
            await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            await default(ThreadPoolYield);
            await task.ConfigureAwait(false);
        }
        finally { activity.Unpark(); }
    }

    private bool AllQuiet()
    {
        lock (_loops) return _sealed && _loops.TrueForAll(l => l.IsQuiet);
    }

    private void PulseIdle() => Interlocked.Exchange(ref _idlePulse, null)?.TrySetResult();

    /// <summary>Completes when every loop is parked on an incomplete wait or finished.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pulse = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _idlePulse, pulse);
            if (AllQuiet()) return;
            await pulse.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
