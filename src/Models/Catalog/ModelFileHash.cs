using System.Security.Cryptography;

namespace Vigil.Models.Catalog;

/// <summary>sha256 of model files, as lower-case hex.</summary>
public static class ModelFileHash
{
    /// <summary>Hashes the file at <paramref name="path"/>.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Hashes in-memory model bytes.</summary>
    public static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
