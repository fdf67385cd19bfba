using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Vigil.Cluster.Broker;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Benchmarking;

/// <summary>
/// Reference point for the latency benchmark: the bare broker round trip on this machine, using
/// RabbitMQ.Client directly (persistent publish to a durable request queue of the given type, a
/// consumer republishes the body to a durable classic reply queue — the type Vigil's reply path
/// uses — and acknowledges, the requester consumes it), one message at a time, no Vigil code on the path.
/// </summary>
internal static class RawRoundTrip
{
    public static async Task<double[]> MeasureAsync(ClusterConfig config, string queueType, int samples)
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string requests = $"vigil.bench.raw.{id}", replies = $"vigil.bench.raw-reply.{id}";
        await using var connection = await BrokerConnector.ConnectAsync(config, "vigil-bench-raw", TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await using var server = await connection.CreateChannelAsync().ConfigureAwait(false);
        await using var client = await connection.CreateChannelAsync().ConfigureAwait(false);
        await server.QueueDeclareAsync(requests, true, false, false, RequestQueues.Arguments(queueType)).ConfigureAwait(false);
        await client.QueueDeclareAsync(replies, true, false, false).ConfigureAwait(false);
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        var echo = new AsyncEventingBasicConsumer(server);
        echo.ReceivedAsync += async (_, e) =>
        {
            await server.BasicPublishAsync("", replies, false, props, e.Body.ToArray()).ConfigureAwait(false);
            await server.BasicAckAsync(e.DeliveryTag, false).ConfigureAwait(false);
        };
        await server.BasicConsumeAsync(requests, false, echo).ConfigureAwait(false);
        TaskCompletionSource? waiting = null;
        var back = new AsyncEventingBasicConsumer(client);
        back.ReceivedAsync += (_, _) => { waiting!.TrySetResult(); return Task.CompletedTask; };
        await client.BasicConsumeAsync(replies, true, back).ConfigureAwait(false);
        var body = new byte[1024];
        var times = new double[samples];
        try
        {
            for (int i = -samples / 10; i < samples; i++)
            {
                waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                long t0 = Stopwatch.GetTimestamp();
                await client.BasicPublishAsync("", requests, false, props, body).ConfigureAwait(false);
                await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                if (i >= 0) times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
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
}
