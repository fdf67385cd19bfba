namespace Vigil.Actors;

/// <summary>
/// Where an actor sits in its system's hierarchy: <c>vigil://{system}/user/{parent}/{child}</c>.
/// Paths are used in logs, dead letters and exceptions so a failure names the actor it came from.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    // The rendered path; computed once because it appears in every log line about the actor.
    private readonly string _text;

    private ActorPath(ActorPath? parent, string name, string text)
    {
        Parent = parent;
        Name = name;
        _text = text;
    }

    /// <summary>The parent path; <c>null</c> for a system's root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element (the actor's name, or the system name for a root).</summary>
    public string Name { get; }

    /// <summary>The root path of a system named <paramref name="systemName"/>.</summary>
    public static ActorPath Root(string systemName)
    {
        ValidateName(systemName, nameof(systemName));
        return new ActorPath(null, systemName, "vigil://" + systemName);
    }

    /// <summary>The path of a child named <paramref name="name"/> under this one.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains a character outside [A-Za-z0-9-_.:@$+=~%].</exception>
    public ActorPath Child(string name)
    {
        ValidateName(name, nameof(name));
        return new ActorPath(this, name, _text + "/" + name);
    }

    /// <summary>Checks that <paramref name="name"/> can be a path element.</summary>
    internal static void ValidateName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0)
            throw new ArgumentException("An actor name cannot be empty.", paramName);
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.:@$+=~%".Contains(c)))
                throw new ArgumentException($"The actor name '{name}' contains '{c}'; names use letters, digits and -_.:@$+=~% only.", paramName);
    }

    /// <inheritdoc />
    public override string ToString() => _text;

    /// <inheritdoc />
    public bool Equals(ActorPath? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);
}
