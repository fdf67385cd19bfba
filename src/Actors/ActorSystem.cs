using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Actors.Internal;

namespace Vigil.Actors;

/// <summary>
/// A set of actors sharing a clock, dead letters and logging. Top-level actors and entity regions
/// are created here; children through <see cref="ActorContext{TMessage}.Spawn{TChild}"/>.
/// </summary>
/// <remarks>
/// Shutdown order: <see cref="ShutdownAsync"/> stops top-level actors and entity regions one after
/// another in reverse creation order (later ones usually depend on earlier ones). Each stops
/// gracefully: it stops accepting, processes what its mailbox holds, then stops its children (which
/// drain the same way) and terminates only after they did — children before parents.
/// </remarks>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly object _gate = new();
    // Top-level actors and regions by name, and their creation order (for reverse-order shutdown).
    private readonly Dictionary<string, ITopLevel> _topLevel = new(StringComparer.Ordinal);
    private readonly List<ITopLevel> _creationOrder = new();
    private readonly Channel<ActorDeadLetter> _deadLetters;
    private readonly ILogger _logger;
    private readonly ActorPath _user;
    // Non-null once shutdown began; later calls await the same task.
    private Task? _shutdown;
    private long _deadLetterCount;
    private long _askCounter;

    /// <summary>Creates a system.</summary>
    /// <param name="name">System name, the first element of every path (letters, digits, -_.:@$+=~).</param>
    /// <param name="options">Settings; defaults as stated on <see cref="ActorSystemOptions"/>.</param>
    /// <param name="time">The clock for timeouts, backoff and passivation; default <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where failures and dead letters are logged; default none.</param>
    public ActorSystem(string name = "vigil", ActorSystemOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? new ActorSystemOptions();
        Options.Validate();
        Name = name;
        RootPath = ActorPath.Root(name);
        _user = RootPath.Child("user");
        Time = time ?? TimeProvider.System;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = LoggerFactory.CreateLogger("Vigil.Actors.ActorSystem");
        _deadLetters = Channel.CreateBounded<ActorDeadLetter>(new BoundedChannelOptions(Options.DeadLetterCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = false,
        });
    }

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary><c>vigil://{name}</c>.</summary>
    public ActorPath RootPath { get; }

    /// <summary>The clock every timed behaviour uses.</summary>
    public TimeProvider Time { get; }

    /// <summary>The settings the system was created with.</summary>
    public ActorSystemOptions Options { get; }

    /// <summary>The logger factory actors log through.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// Messages that were not processed (mailbox full, actor stopped, handler failed), newest last.
    /// Bounded by <see cref="ActorSystemOptions.DeadLetterCapacity"/>, dropping the oldest; every
    /// dead letter is also logged (event 1004) and counted in <see cref="DeadLetterCount"/>.
    /// </summary>
    public ChannelReader<ActorDeadLetter> DeadLetters => _deadLetters.Reader;

    /// <summary>How many dead letters were published since the system started.</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>True once <see cref="ShutdownAsync"/> has been called.</summary>
    public bool IsShuttingDown { get { lock (_gate) return _shutdown is not null; } }

    /// <summary>Counts queued and running work, for quiescence checks.</summary>
    internal WorkTracker Work { get; } = new();

    /// <summary>Spawns a top-level actor at <c>/user/{name}</c>.</summary>
    /// <exception cref="InvalidOperationException">The name is taken by a live top-level actor or region, or the system is shutting down.</exception>
    public IActorRef<TMessage> Spawn<TMessage>(string name, Func<Actor<TMessage>> factory, ActorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var cell = CreateCell(null, _user.Child(name), factory, options);
        Register(new TopLevelActor(cell));
        cell.Start();
        return cell;
    }

    /// <summary>
    /// Creates a region of keyed entities at <c>/user/{name}</c>: one actor per key, created by
    /// <paramref name="factory"/> on the key's first message and passivated as stated on
    /// <see cref="EntityRegionOptions{TKey}"/>.
    /// </summary>
    public EntityRegion<TKey, TMessage> SpawnEntityRegion<TKey, TMessage>(string name, Func<TKey, Actor<TMessage>> factory, EntityRegionOptions<TKey>? options = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(factory);
        var region = new EntityRegion<TKey, TMessage>(this, _user.Child(name), factory, options ?? new EntityRegionOptions<TKey>());
        Register(region);
        return region;
    }

    /// <summary>
    /// Stops <paramref name="actor"/> gracefully (drains its mailbox, stops its children) and
    /// completes when it has terminated.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is not a local actor of this system.</exception>
    public Task StopAsync(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not ActorCellBase cell || !ReferenceEquals(cell.System, this))
            throw new ArgumentException($"{actor.Path} is not an actor of system '{Name}'.", nameof(actor));
        cell.RequestStop(null);
        return cell.Terminated;
    }

    /// <summary>
    /// Gracefully stops everything (see the remarks on <see cref="ActorSystem"/> for the order) and
    /// completes when all actors have terminated. Idempotent. <paramref name="cancellationToken"/>
    /// abandons the wait (e.g. a host's shutdown timeout); the drain itself goes on.
    /// </summary>
    public Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        Task shutdown;
        lock (_gate) shutdown = _shutdown ??= Task.Run(ShutdownCoreAsync);
        return shutdown.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    private async Task ShutdownCoreAsync()
    {
        ITopLevel[] order;
        lock (_gate) order = _creationOrder.AsEnumerable().Reverse().ToArray();
        ActorLog.ShuttingDown(_logger, Name, order.Length);
        foreach (var top in order) await top.StopAsync().ConfigureAwait(false);
        ActorLog.ShutDown(_logger, Name);
    }

    /// <summary>Completes when no message is queued or being handled anywhere in the system (see <see cref="WorkTracker"/>).</summary>
    internal Task WhenIdleAsync() => Work.WhenIdleAsync();

    /// <summary>Fresh path for an Ask's reply slot.</summary>
    internal ActorPath NextTempPath() => RootPath.Child("temp").Child("ask-" + Interlocked.Increment(ref _askCounter));

    internal ActorCell<TMessage> CreateCell<TMessage>(ActorCellBase? parent, ActorPath path, Func<Actor<TMessage>> factory, ActorOptions? options)
    {
        var capacity = options?.MailboxCapacity ?? Options.DefaultMailboxCapacity;
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(options), capacity, $"The mailbox capacity of {path} must be at least 1.");
        return new ActorCell<TMessage>(this, parent, path, factory, capacity, options?.Supervision ?? Options.DefaultSupervision);
    }

    private void Register(ITopLevel top)
    {
        lock (_gate)
        {
            if (_shutdown is not null)
                throw new InvalidOperationException($"Actor system '{Name}' is shutting down; '{top.Name}' cannot be created.");
            if (!_topLevel.TryAdd(top.Name, top))
                throw new InvalidOperationException($"Actor system '{Name}' already has a live top-level actor or region named '{top.Name}'.");
            _creationOrder.Add(top);
        }
    }

    internal void OnTopLevelTerminated(ActorCellBase cell)
    {
        if (cell.Parent is not null) return;
        lock (_gate)
        {
            if (_topLevel.TryGetValue(cell.Path.Name, out var top) && top is TopLevelActor a && ReferenceEquals(a.Cell, cell))
            {
                _topLevel.Remove(cell.Path.Name);
                _creationOrder.Remove(top);
            }
        }
    }

    internal void OnRegionStopped(ITopLevel region)
    {
        lock (_gate)
        {
            if (_topLevel.TryGetValue(region.Name, out var top) && ReferenceEquals(top, region))
            {
                _topLevel.Remove(region.Name);
                _creationOrder.Remove(top);
            }
        }
    }

    internal void PublishDeadLetter(object? message, ActorPath recipient, DeadLetterReason reason, Exception? error)
    {
        Interlocked.Increment(ref _deadLetterCount);
        ActorLog.DeadLetter(_logger, recipient, message?.GetType().Name ?? "null", reason);
        _deadLetters.Writer.TryWrite(new ActorDeadLetter(message, recipient, reason, error, Time.GetUtcNow()));
    }
}
