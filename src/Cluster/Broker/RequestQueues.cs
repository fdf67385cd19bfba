using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Broker;

/// <summary>
/// Declares model request queues of the configured type (<see cref="QueueTypes"/>). A queue of the
/// other type already on the broker cannot be redeclared (RabbitMQ answers PRECONDITION_FAILED):
/// a serving node replaces it only when it is empty and has no consumers (a leftover from an
/// earlier configuration); otherwise it fails with an error naming the queue, both types and the fix.
/// Requesters use whatever queue exists and declare one only when there is none.
/// </summary>
public static class RequestQueues
{
    private const ushort PreconditionFailed = 406, NotFound = 404;

    /// <summary>Declaration arguments of a request queue of <paramref name="queueType"/>.</summary>
    public static Dictionary<string, object?>? Arguments(string queueType) => queueType switch
    {
        QueueTypes.Quorum => new() { ["x-queue-type"] = QueueTypes.Quorum },
        // No x-queue-type argument: equivalent to a plain durable queue declared by any client.
        QueueTypes.Classic => null,
        _ => throw new ArgumentException($"unknown queue type '{queueType}'; types are {string.Join(", ", QueueTypes.All)}", nameof(queueType)),
    };

    /// <summary>
    /// Serving side: declares <paramref name="queue"/> as <paramref name="queueType"/>, replacing an
    /// empty, unused queue of another type. Each attempt uses its own channel (a failed declare closes it).
    /// </summary>
    /// <exception cref="QueueTypeMismatchException">The queue exists with another type and holds messages or consumers.</exception>
    public static Task DeclareAsync(IConnection connection, string queue, string queueType, Action<string>? log, CancellationToken ct = default) =>
        DeclareOrReplaceAsync(connection, queue, Arguments(queueType), $"a {queueType} queue",
            "Set request_queue_type in [broker] (or queue_type in the [model] section) to the existing type, or", log, ct);

    /// <summary>
    /// Declares durable <paramref name="queue"/> with <paramref name="arguments"/>; a queue of that name
    /// declared with other arguments is replaced when it is empty and unused, otherwise this fails
    /// with an error naming the queue, what it holds and the fix.
    /// </summary>
    /// <exception cref="QueueTypeMismatchException">The queue exists with other arguments and holds messages or consumers.</exception>
    internal static async Task DeclareOrReplaceAsync(IConnection connection, string queue, Dictionary<string, object?>? arguments,
        string wanted, string fix, Action<string>? log, CancellationToken ct)
    {
        string? refusal = await TryDeclareAsync(connection, queue, arguments, ct).ConfigureAwait(false);
        if (refusal is null) return;
        QueueDeclareOk existing;
        await using (var ch = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            existing = await ch.QueueDeclarePassiveAsync(queue, ct).ConfigureAwait(false);
            if (existing.MessageCount == 0 && existing.ConsumerCount == 0)
            {
                // Quorum queues refuse if-empty/if-unused deletes, so the check above is the guard.
                await ch.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: ct).ConfigureAwait(false);
                log?.Invoke($"replaced the empty, unused queue {queue} by {wanted} ({refusal})");
                refusal = await TryDeclareAsync(connection, queue, arguments, ct).ConfigureAwait(false);
                if (refusal is null) return;
            }
        }
        throw new QueueTypeMismatchException(
            $"queue {queue} exists on the broker with other arguments than {wanted} ({refusal}); it holds " +
            $"{existing.MessageCount} messages and {existing.ConsumerCount} consumers, so it was left alone. {fix} delete the queue " +
            $"once it is empty (rabbitmqctl delete_queue {queue}).");
    }

    /// <summary>
    /// Requesting side: uses <paramref name="queue"/> whatever its type when it exists (the serving
    /// nodes chose it), and declares it as <paramref name="queueType"/> when there is none yet, so
    /// requests wait durably for a node.
    /// </summary>
    public static async Task EnsureExistsAsync(IConnection connection, string queue, string queueType, CancellationToken ct = default)
    {
        await using (var ch = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false))
        {
            try { await ch.QueueDeclarePassiveAsync(queue, ct).ConfigureAwait(false); return; }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == NotFound) { }
        }
        // Declared meanwhile by a node of the other type: that queue is the one to use.
        _ = await TryDeclareAsync(connection, queue, Arguments(queueType), ct).ConfigureAwait(false);
    }

    private static async Task<string?> TryDeclareAsync(IConnection connection, string queue, Dictionary<string, object?>? arguments, CancellationToken ct)
    {
        await using var ch = await connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        try
        {
            await ch.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: ct)
                .ConfigureAwait(false);
            return null;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
        {
            return e.ShutdownReason.ReplyText;
        }
    }
}

/// <summary>A queue exists on the broker with other arguments (type) than configured, and is in use.</summary>
public sealed class QueueTypeMismatchException(string message) : Exception(message);
