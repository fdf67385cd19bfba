using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Benchmarking;

/// <summary>
/// Reference points for the latency benchmark: the bare broker round trip on this machine, using
/// RabbitMQ.Client directly, one 1 KB message at a time, no Vigil code on the path. The requester
/// publishes a persistent message to a durable request queue of the given type; a consumer (on its
/// own connection, as a node would be) republishes the body to a durable classic reply queue — the
/// type Vigil's reply path uses — and acknowledges; the requester consumes it.
/// <para>Two flavours: <i>minimal</i> (no publisher confirms, auto-ack on the reply queue) and
/// <i>same guarantees as Vigil</i> (publisher confirms on both sides, the request acknowledged
/// only once its reply is confirmed, the reply acknowledged by the requester).</para>
/// </summary>
internal sealed class RawRoundTrip : IAsyncDisposable
{
    private readonly IConnection _clientConnection, _serverConnection;
    private readonly IChannel _client, _server;
    private readonly string _requests, _replies;
    private readonly BasicProperties _props = new() { DeliveryMode = DeliveryModes.Persistent };
    private readonly byte[] _body = new byte[1024];
    private TaskCompletionSource? _waiting;

    private RawRoundTrip(IConnection clientConnection, IConnection serverConnection, IChannel client, IChannel server, string requests, string replies)
    {
        _clientConnection = clientConnection; _serverConnection = serverConnection;
        _client = client; _server = server; _requests = requests; _replies = replies;
    }

    /// <summary>Declares a fresh request and reply queue pair and starts the echoing consumer.</summary>
    public static async Task<RawRoundTrip> StartAsync(ClusterConfig config, string queueType, bool sameGuaranteesAsVigil)
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        bool confirms = sameGuaranteesAsVigil;
        var clientConnection = await BrokerConnector.ConnectAsync(config, "vigil-bench-raw-client", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var serverConnection = await BrokerConnector.ConnectAsync(config, "vigil-bench-raw-server", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var server = await serverConnection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms)).ConfigureAwait(false);
        var client = await clientConnection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms)).ConfigureAwait(false);
        var raw = new RawRoundTrip(clientConnection, serverConnection, client, server, $"vigil.bench.raw.{id}", $"vigil.bench.raw-reply.{id}");
        await server.QueueDeclareAsync(raw._requests, true, false, false, RequestQueues.Arguments(queueType)).ConfigureAwait(false);
        await client.QueueDeclareAsync(raw._replies, true, false, false).ConfigureAwait(false);
        var echo = new AsyncEventingBasicConsumer(server);
        echo.ReceivedAsync += (_, e) =>
        {
            // Not awaited: the next delivery need not wait for this reply's confirm (as in ModelServer).
            _ = raw.ReplyThenAckAsync(e.Body.ToArray(), e.DeliveryTag);
            return Task.CompletedTask;
        };
        await server.BasicQosAsync(0, 32, false).ConfigureAwait(false);
        await server.BasicConsumeAsync(raw._requests, false, echo).ConfigureAwait(false);
        var back = new AsyncEventingBasicConsumer(client);
        back.ReceivedAsync += async (_, e) =>
        {
            raw._waiting?.TrySetResult();
            if (confirms) await client.BasicAckAsync(e.DeliveryTag, false).ConfigureAwait(false);
        };
        await client.BasicConsumeAsync(raw._replies, autoAck: !confirms, back).ConfigureAwait(false);
        return raw;
    }

    /// <summary>One round trip; returns its duration in milliseconds.</summary>
    public async Task<double> OnceAsync()
    {
        _waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long t0 = Stopwatch.GetTimestamp();
        // With confirms the publish completes on the broker's confirm; like Vigil's client, the round trip does not wait for it.
        var published = _client.BasicPublishAsync("", _requests, false, _props, _body).AsTask();
        await _waiting.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        await published.ConfigureAwait(false);
        return ms;
    }

    private async Task ReplyThenAckAsync(byte[] body, ulong tag)
    {
        try
        {
            await _server.BasicPublishAsync("", _replies, false, _props, body).ConfigureAwait(false);
            await _server.BasicAckAsync(tag, false).ConfigureAwait(false);
        }
        catch (Exception) { /* the queues are being deleted at the end of the run */ }
    }

    /// <summary>Deletes the queues and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.QueueDeleteAsync(_requests, false, false).ConfigureAwait(false);
            await _client.QueueDeleteAsync(_replies, false, false).ConfigureAwait(false);
        }
        catch (Exception) { /* best effort */ }
        foreach (var c in new[] { _clientConnection, _serverConnection })
        {
            try { await c.CloseAsync().ConfigureAwait(false); } catch (Exception) { }
            c.Dispose();
        }
    }
}
