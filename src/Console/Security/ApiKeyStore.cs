using System.Security.Cryptography;
using System.Text;

namespace Vigil.WardConsole.Security;

/// <summary>Looks presented keys up by their SHA-256; the keys themselves are never kept or logged.</summary>
public sealed class ApiKeyStore
{
    private readonly Dictionary<string, WardPrincipal> _byHash;

    /// <summary>Builds the store; throws naming the entry when a hash is not 64 hex digits or a name is missing.</summary>
    public ApiKeyStore(IEnumerable<ApiKeyEntry> entries)
    {
        _byHash = new Dictionary<string, WardPrincipal>(StringComparer.Ordinal);
        var i = 0;
        foreach (var e in entries)
        {
            var hash = e.Sha256.Trim().ToLowerInvariant();
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw new InvalidOperationException($"Console:ApiKeys:{i}: Sha256 must be 64 hex digits (the SHA-256 of the key), got {hash.Length} characters.");
            if (string.IsNullOrWhiteSpace(e.Name)) throw new InvalidOperationException($"Console:ApiKeys:{i}: Name is missing.");
            if (!Enum.IsDefined(e.Role)) throw new InvalidOperationException($"Console:ApiKeys:{i}: Role must be Viewer, Clinician or Admin.");
            _byHash[hash] = new WardPrincipal(e.Name, e.Role);
            i++;
        }
    }

    /// <summary>Number of configured keys.</summary>
    public int Count => _byHash.Count;

    /// <summary>The SHA-256 of <paramref name="key"/>, lower-case hex (the form configuration stores).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The holder of <paramref name="key"/>, or null when it is not configured.</summary>
    public WardPrincipal? Find(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512) return null;
        // Hashing first makes the dictionary lookup independent of the key's bytes (no timing oracle on the key).
        return _byHash.GetValueOrDefault(Hash(key));
    }

    /// <summary>A fresh random key (32 bytes, base64url) for <c>vigil serve</c> when none are configured.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
