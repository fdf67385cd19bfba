namespace Vigil.Cli;

/// <summary>A usage error: printed as one line, exit code 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
