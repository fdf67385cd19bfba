namespace Vigil.TestKit.Actors;

/// <summary>A <see cref="TestProbe"/> expectation was not met; the message says what was expected and what happened.</summary>
public sealed class ProbeExpectationException : Exception
{
    /// <summary>Creates the exception with a description of the unmet expectation.</summary>
    public ProbeExpectationException(string message) : base(message)
    {
    }
}
