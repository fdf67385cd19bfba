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
internal static class RawRoundTrip
{
    public static async Task<double[]> MeasureAsync(ClusterConfig config, string queueType, int samples, bool sameGuaranteesAsVigil)
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string requests = $"vigil.bench.raw.{id}", replies = $"vigil.bench.raw-reply.{id}";
        bool confirms = sameGuaranteesAsVigil;
        await using var clientConnection = await BrokerConnector.ConnectAsync(config, "vigil-bench-raw-client", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await using var serverConnection = await BrokerConnector.ConnectAsync(config, "vigil-bench-raw-server", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await using var server = await serverConnection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms)).ConfigureAwait(false);
        await using var client = await clientConnection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms)).ConfigureAwait(false);
        await server.QueueDeclareAsync(requests, true, false, false, RequestQueues.Arguments(queueType)).ConfigureAwait(false);
        await client.QueueDeclareAsync(replies, true, false, false).ConfigureAwait(false);
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        var echo = new AsyncEventingBasicConsumer(server);
        echo.ReceivedAsync += (_, e) =>
        {
            // Not awaited: the next delivery need not wait for this reply's confirm (as in ModelServer).
            _ = ReplyThenAckAsync(server, replies, props, e.Body.ToArray(), e.DeliveryTag);
            return Task.CompletedTask;
        };
        await server.BasicQosAsync(0, 32, false).ConfigureAwait(false);
        await server.BasicConsumeAsync(requests, false, echo).ConfigureAwait(false);
        TaskCompletionSource? waiting = null;
        var back = new AsyncEventingBasicConsumer(client);
        back.ReceivedAsync += async (_, e) =>
        {
            waiting!.TrySetResult();
            if (confirms) await client.BasicAckAsync(e.DeliveryTag, false).ConfigureAwait(false);
        };
        await client.BasicConsumeAsync(replies, autoAck: !confirms, back).ConfigureAwait(false);
        var body = new byte[1024];
        var times = new double[samples];
        try
        {
            for (int i = -samples / 10; i < samples; i++)
            {
                waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                long t0 = Stopwatch.GetTimestamp();
                // With confirms the publish completes on the broker's confirm; like Vigil's client, do not hold the round trip on it.
                var published = client.BasicPublishAsync("", requests, false, props, body).AsTask();
                await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                if (i >= 0) times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                await published.ConfigureAwait(false);
            }
        }
        finally
        {
            await client.QueueDeleteAsync(requests, false, false).ConfigureAwait(false);
            await client.QueueDeleteAsync(replies, false, false).ConfigureAwait(false);
        }
        Array.Sort(times);
        return times;
    }

    private static async Task ReplyThenAckAsync(IChannel server, string replies, BasicProperties props, byte[] body, ulong tag)
    {
        try
        {
            await server.BasicPublishAsync("", replies, false, props, body).ConfigureAwait(false);
            await server.BasicAckAsync(tag, false).ConfigureAwait(false);
        }
        catch (Exception) { /* the queues are being deleted at the end of the run */ }
    }
}
