using RabbitMQ.Client;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Sharding;

namespace Vigil.Cluster.Node;

/// <summary>
/// A running Vigil cluster node: one broker connection, a <see cref="ModelServer"/> per configured
/// model (role <c>serve</c>), a <see cref="ShardWorker"/> for patient streams (role <c>shard</c>),
/// and a heartbeat every <see cref="TimeoutSettings.Heartbeat"/>.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly ClusterConfig _config;
    private readonly IConnection _connection;
    private readonly List<ModelServer> _servers = new();
    private readonly TextWriter _log;
    private readonly CancellationTokenSource _stop = new();
    private IChannel? _heartbeatChannel;
    private Task? _heartbeatLoop;
    private ShardWorker? _shard;
    private volatile string _state = "up";

    /// <summary>The configuration the node runs with.</summary>
    public ClusterConfig Config => _config;

    /// <summary>The model servers (one per [model] section when the node has role serve).</summary>
    public IReadOnlyList<ModelServer> Servers => _servers;

    /// <summary>The patient shard worker, when the node has role shard.</summary>
    public ShardWorker? Shard => _shard;

    private ClusterNode(ClusterConfig config, IConnection connection, TextWriter log)
    {
        _config = config; _connection = connection; _log = log;
    }

    /// <summary>Connects and starts serving.</summary>
    /// <param name="config">The node's configuration.</param>
    /// <param name="handlers">Creates the handler of each model; default: the built-in handlers.</param>
    /// <param name="shardFunction">Per-patient function of the shard role; default: the sequence checker.</param>
    /// <param name="log">Where to write one-line events (default: stderr).</param>
    /// <param name="ct">Cancels starting.</param>
    public static async Task<ClusterNode> StartAsync(ClusterConfig config, Func<ModelServing, IInferenceHandler>? handlers = null,
        IPatientFunctionFactory? shardFunction = null, TextWriter? log = null, CancellationToken ct = default)
    {
        var connection = await BrokerConnector.ConnectAsync(config, "vigil-node-" + config.Node.Name, TimeSpan.FromSeconds(30), ct)
            .ConfigureAwait(false);
        var node = new ClusterNode(config, connection, log ?? Console.Error);
        try { await node.StartPartsAsync(handlers ?? BuiltInHandlers.Create, shardFunction, ct).ConfigureAwait(false); }
        catch { await node.DisposeAsync().ConfigureAwait(false); throw; }
        return node;
    }

    private async Task StartPartsAsync(Func<ModelServing, IInferenceHandler> handlers, IPatientFunctionFactory? shardFunction, CancellationToken ct)
    {
        _connection.ConnectionShutdownAsync += (_, e) =>
        {
            if (e.Initiator != ShutdownInitiator.Application) Log($"broker connection lost ({e.ReplyText}); recovering");
            return Task.CompletedTask;
        };
        _connection.RecoverySucceededAsync += (_, _) => { Log("broker connection recovered"); return Task.CompletedTask; };
        if (_config.HasRole("serve"))
            foreach (var model in _config.Models)
            {
                var server = new ModelServer(_config, model, handlers(model), _connection, log: Log);
                await server.StartAsync(ct).ConfigureAwait(false);
                _servers.Add(server);
            }
        if (_config.HasRole("shard"))
        {
            _shard = new ShardWorker(_config, _connection, shardFunction ?? (_config.Shard.Function == "ppg" ? new PpgShardFunctionFactory(_config.Shard.ReplayWindows) : new SequenceCheckerFactory()), _log);
            await _shard.StartAsync(ct).ConfigureAwait(false);
        }
        _heartbeatChannel = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        await Topology.DeclareHeartbeatExchangeAsync(_heartbeatChannel, ct).ConfigureAwait(false);
        await PublishHeartbeatAsync().ConfigureAwait(false);
        _heartbeatLoop = Task.Run(HeartbeatLoopAsync);
    }

    /// <summary>This node's heartbeat as of now.</summary>
    public NodeHeartbeat Heartbeat() => new(
        _config.Node.Name, _state, _config.Node.Roles,
        _servers.Select(s => new ModelLoad(s.Model.Id, s.Model.Version, s.Model.Capacity, s.InHand, s.Processed)).ToList(),
        _shard is null ? "" : _config.Shard.Ring, _shard?.PatientCount ?? 0, _shard?.WindowsProcessed ?? 0, Environment.ProcessId, DateTimeOffset.UtcNow,
        _shard?.TakenOver ?? []);

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(_config.Timeouts.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) await PublishHeartbeatAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    private async Task PublishHeartbeatAsync()
    {
        try
        {
            await _heartbeatChannel!.BasicPublishAsync(Topology.HeartbeatExchange, "", Heartbeat().ToJson()).ConfigureAwait(false);
        }
        catch (Exception) { /* broker away: the next beat goes out after recovery */ }
    }

    /// <summary>
    /// Graceful drain: stops taking work, finishes and acknowledges what the node holds, hands
    /// patient state over, announces that it left, then disconnects.
    /// </summary>
    public async Task DrainAsync()
    {
        _state = "draining";
        await PublishHeartbeatAsync().ConfigureAwait(false);
        Log("draining: consumers cancelled, finishing held work");
        var timeout = _config.Timeouts.Drain;
        await Task.WhenAll(_servers.Select(s => s.DrainAsync(timeout))).ConfigureAwait(false);
        if (_shard is not null) await _shard.LeaveAsync(timeout).ConfigureAwait(false);
        _state = "left";
        await PublishHeartbeatAsync().ConfigureAwait(false);
        Log($"drained: {_servers.Sum(s => s.Processed)} requests answered, {_shard?.WindowsProcessed ?? 0} windows processed");
    }

    private void Log(string message)
    {
        lock (_log) _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} node {_config.Node.Name}: {message}");
    }

    /// <summary>Stops the node (without draining; call <see cref="DrainAsync"/> first for a graceful stop).</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_heartbeatLoop is not null) await _heartbeatLoop.ConfigureAwait(false);
        foreach (var s in _servers) await s.DisposeAsync().ConfigureAwait(false);
        if (_shard is not null) await _shard.DisposeAsync().ConfigureAwait(false);
        try { await _connection.CloseAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (Exception) { }
        _connection.Dispose();
    }
}
