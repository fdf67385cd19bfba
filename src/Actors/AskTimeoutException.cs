namespace Vigil.Actors;

/// <summary>An Ask got no reply within its timeout (measured on the system's <see cref="TimeProvider"/>).</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for an Ask to <paramref name="target"/>.</summary>
    public AskTimeoutException(ActorPath target, Type messageType, TimeSpan timeout)
        : base($"Ask to {target} (message {messageType.Name}) got no reply within {timeout}.")
    {
        Target = target;
        MessageType = messageType;
        Timeout = timeout;
    }

    /// <summary>The actor that was asked.</summary>
    public ActorPath Target { get; }

    /// <summary>The type of the request message.</summary>
    public Type MessageType { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
