namespace Vigil.Streams;

/// <summary>A stage failed and stopped the graph; <see cref="Exception.InnerException"/> is the cause.</summary>
public sealed class StageFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="stage"/>.</summary>
    public StageFailedException(string stage, Exception inner)
        : base($"Stream stage '{stage}' failed: {inner.Message}", inner) => Stage = stage;

    /// <summary>The name of the failed stage.</summary>
    public string Stage { get; }
}

/// <summary>A graph was refused at materialization because it could deadlock or is miswired.</summary>
public sealed class GraphValidationException : Exception
{
    /// <summary>Creates the exception naming the <paramref name="stages"/> involved.</summary>
    public GraphValidationException(string message, IReadOnlyList<string> stages) : base(message) => Stages = stages;

    /// <summary>The stages involved, in path order.</summary>
    public IReadOnlyList<string> Stages { get; }
}

/// <summary>A <see cref="OverflowStrategy.Fail"/> buffer was full when an element arrived.</summary>
public sealed class BufferOverflowException(string stage, int capacity)
    : Exception($"Buffer stage '{stage}' overflowed its capacity of {capacity} elements.")
{
    /// <summary>The buffer stage.</summary>
    public string Stage { get; } = stage;
}
