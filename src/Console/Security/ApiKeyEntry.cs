namespace Vigil.WardConsole.Security;

/// <summary>
/// One configured API key: who holds it, its role and the SHA-256 of the key (lower-case hex).
/// The key itself is never stored; <c>printf %s KEY | sha256sum</c> gives the hash.
/// </summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who holds the key, as written to the audit log (a user or system name, not a patient's).</summary>
    public string Name { get; set; } = "";

    /// <summary>The key's role.</summary>
    public WardRole Role { get; set; } = WardRole.Viewer;

    /// <summary>SHA-256 of the key's UTF-8 bytes, 64 hex digits.</summary>
    public string Sha256 { get; set; } = "";
}
