namespace Vigil.Streams;

/// <summary>What a stage does when its user function throws for an element.</summary>
public enum SupervisionDirective
{
    /// <summary>Fail the stage and with it the graph (the default).</summary>
    Stop,
    /// <summary>Skip the failing element, send it with its error to the dead letters, and carry on.</summary>
    Resume,
    /// <summary>Like <see cref="Resume"/>, and also reset the stage's accumulated state.</summary>
    Restart,
}

/// <summary>Chooses a <see cref="SupervisionDirective"/> for an error thrown by a stage.</summary>
public delegate SupervisionDirective Decider(Exception error);

/// <summary>Ready-made deciders.</summary>
public static class Supervision
{
    /// <summary>Always <see cref="SupervisionDirective.Stop"/>.</summary>
    public static readonly Decider Stop = _ => SupervisionDirective.Stop;

    /// <summary>Always <see cref="SupervisionDirective.Resume"/>.</summary>
    public static readonly Decider Resume = _ => SupervisionDirective.Resume;

    /// <summary>Always <see cref="SupervisionDirective.Restart"/>.</summary>
    public static readonly Decider Restart = _ => SupervisionDirective.Restart;
}
