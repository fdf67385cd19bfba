namespace Vigil.Actors;

/// <summary>
/// The failure a parent sees when a child escalates: names the child and carries the child's
/// exception as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ActorEscalationException : Exception
{
    /// <summary>Creates the exception for <paramref name="child"/> failing with <paramref name="error"/>.</summary>
    public ActorEscalationException(ActorPath child, Exception error)
        : base($"Child {child} escalated a failure: {error.GetType().Name}: {error.Message}", error)
    {
        Child = child;
    }

    /// <summary>The child that escalated.</summary>
    public ActorPath Child { get; }
}
