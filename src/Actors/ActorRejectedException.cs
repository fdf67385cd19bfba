namespace Vigil.Actors;

/// <summary>An Ask could not even deliver its request because the actor has stopped.</summary>
public sealed class ActorRejectedException : InvalidOperationException
{
    /// <summary>Creates the exception for a request to <paramref name="target"/>.</summary>
    public ActorRejectedException(ActorPath target, Type messageType)
        : base($"{target} rejected a {messageType.Name}: the actor has stopped.")
    {
        Target = target;
    }

    /// <summary>The actor that rejected the message.</summary>
    public ActorPath Target { get; }
}
