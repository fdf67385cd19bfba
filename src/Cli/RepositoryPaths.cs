namespace Vigil.Cli;

/// <summary>
/// Where the CLI finds the repository (models/, cluster.conf) and the shared real-data folder.
/// One place, so every command resolves them the same way.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>
    /// The repository root: $VIGIL_HOME (the launcher exports it), else the nearest folder above
    /// the executable holding Engine.sln, else the current directory.
    /// </summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shared assets folder: $VIGIL_SHARED, else <c>../shared</c> beside the repository.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } shared
            ? shared
            : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("VIGIL_HOME") is { Length: > 0 } home) return home;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
