namespace Vigil.Tests.Common;

/// <summary>
/// Locates the read-only real data and assets in <c>../shared/</c> (beside the repository root).
/// Tests that need it call <see cref="Require"/>, which fails with a clear message when it is
/// absent, so a missing data folder is a reported failure, never a silent pass.
/// </summary>
internal static class SharedData
{
    /// <summary>The repository root (the folder holding Engine.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The shared folder: $VIGIL_SHARED, else ../shared beside the repository.</summary>
    public static string Root =>
        Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>Full path of <paramref name="relative"/> under the shared folder; throws when missing.</summary>
    public static string Require(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InvalidOperationException(
                $"This test needs the shared real data '{relative}', expected at '{path}'. " +
                "Place the project's shared/ folder beside the repository (or set VIGIL_SHARED).");
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Engine.sln not found above " + AppContext.BaseDirectory);
    }
}
