namespace Vigil.BoneAge.Scoring;

/// <summary>Turns <c>--input DIR|GLOB</c> into a sorted list of files.</summary>
public static class InputResolver
{
    /// <summary>
    /// A directory gives its files (top level, hidden files skipped); otherwise the last path
    /// segment may hold <c>*</c> and <c>?</c> wildcards. Sorted ordinally so runs are reproducible.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string input)
    {
        if (Directory.Exists(input))
            return Directory.GetFiles(input).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();
        if (File.Exists(input)) return [Path.GetFullPath(input)];
        var dir = Path.GetDirectoryName(input);
        if (string.IsNullOrEmpty(dir)) dir = ".";
        var pattern = Path.GetFileName(input);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"input '{input}': folder '{dir}' does not exist");
        return Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal).ToArray();
    }
}
