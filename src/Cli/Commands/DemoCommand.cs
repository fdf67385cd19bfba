using Vigil.Cli.Demo;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil demo</c>: the main job on an embedded single node — one section per modality, each
/// on generated or bundled data, each printing what it did and whether it matched what was expected.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        new CommandArguments(args).RejectUnknown();
        var output = Console.Out;
        var failures = 0;
        foreach (var (name, section) in Sections())
        {
            try
            {
                if (await section(output) != 0) failures++;
            }
            catch (Exception e)
            {
                failures++;
                output.WriteLine($"  {name} FAILED: {e.GetType().Name}: {e.Message}");
            }
            output.WriteLine();
        }
        output.WriteLine(failures == 0 ? "demo: all sections ok" : $"demo: {failures} section(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private static IEnumerable<(string Name, Func<TextWriter, Task<int>> Run)> Sections()
    {
        yield return ("engine", EngineDemo.RunAsync);
        yield return ("ppg", PpgSectionAsync);
        yield return ("boneage", BoneAgeSectionAsync);
    }

    private static Task<int> BoneAgeSectionAsync(TextWriter output)
    {
        output.WriteLine("== boneage: two RSNA hand radiographs through the batch scorer (demonstration model)");
        return Vigil.BoneAge.Demo.BoneAgeDemo.RunAsync(output, RepositoryPaths.Root, RepositoryPaths.Shared);
    }

    // The PPG section passes when the tracker's error on the generated recording (known truth)
    // stays within a plausible bound; a regression there should fail the demo loudly.
    private static async Task<int> PpgSectionAsync(TextWriter output)
    {
        output.WriteLine("== ppg: wrist heart rate on a generated recording with motion artefacts");
        var score = await Vigil.Ppg.Demo.PpgDemo.RunAsync(output);
        const double plausibleMaeBpm = 5.0;
        if (score.MaeBpm <= plausibleMaeBpm) return 0;
        output.WriteLine($"  MAE {score.MaeBpm:0.00} BPM exceeds the demo's bound of {plausibleMaeBpm} BPM");
        return 1;
    }
}
