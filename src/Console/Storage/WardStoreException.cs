namespace Vigil.WardConsole.Storage;

/// <summary>The console's store cannot be opened (bad provider, unreachable server, unusable file); the message is one line naming it.</summary>
public sealed class WardStoreException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public WardStoreException(string message, Exception? inner = null) : base(message, inner) { }
}
