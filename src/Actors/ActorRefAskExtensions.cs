using Vigil.Actors.Internal;

namespace Vigil.Actors;

/// <summary>Request/reply on top of Tell.</summary>
public static class ActorRefAskExtensions
{
    /// <summary>
    /// Sends the message built by <paramref name="createRequest"/> (which receives a one-shot reply-to)
    /// and returns the first reply. The timeout runs on the target system's <see cref="TimeProvider"/>
    /// and covers waiting for mailbox room too.
    /// </summary>
    /// <example><code>var count = await counter.AskAsync&lt;CounterMsg, int&gt;(replyTo => new GetCount(replyTo), TimeSpan.FromSeconds(5));</code></example>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>; names the actor and the message type.</exception>
    /// <exception cref="ActorRejectedException">The actor has stopped, so the request was not delivered.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public static async Task<TReply> AskAsync<TMessage, TReply>(this IActorRef<TMessage> target,
        Func<IActorRef<TReply>, TMessage> createRequest, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(createRequest);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        var promise = new PromiseRef<TReply>(target.System);
        var request = createRequest(promise);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await SendThenAwaitReply(target, request, promise, sending.Token)
                .WaitAsync(timeout, target.System.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException(target.Path, request?.GetType() ?? typeof(TMessage), timeout);
        }
        finally
        {
            sending.Cancel(); // a send still waiting for room gives up
            promise.Abandon();
        }
    }

    private static async Task<TReply> SendThenAwaitReply<TMessage, TReply>(IActorRef<TMessage> target, TMessage request, PromiseRef<TReply> promise, CancellationToken cancellationToken)
    {
        if (!await target.TellAsync(request, cancellationToken).ConfigureAwait(false))
            throw new ActorRejectedException(target.Path, request?.GetType() ?? typeof(TMessage));
        return await promise.Reply.ConfigureAwait(false);
    }
}
