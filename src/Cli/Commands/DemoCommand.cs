using Akka.Streams;
using Vigil.Ppg;
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
        // One ActorSystem for every section's graphs, as a host embedding Vigil would have.
        using var system = PpgPipelineRunner.CreateSystem("vigil-demo");
        var materializer = system.Materializer();
        output.WriteLine($"demo: on {PpgCommand.Engine}; shared data folder {(Directory.Exists(RepositoryPaths.Shared) ? RepositoryPaths.Shared : "absent (" + RepositoryPaths.Shared + "): sections use what the repository carries or generates")}");
        output.WriteLine();
        foreach (var (name, section) in Sections(materializer))
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
        await system.Terminate();
        output.WriteLine(failures == 0 ? "demo: all sections ok" : $"demo: {failures} section(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private static IEnumerable<(string Name, Func<TextWriter, Task<int>> Run)> Sections(IMaterializer materializer)
    {
        yield return ("engine", output => EngineDemo.RunAsync(output, materializer));
        yield return ("ppg", output => PpgSectionAsync(output, materializer));
        yield return ("boneage", output => BoneAgeSectionAsync(output, materializer));
    }

    private static Task<int> BoneAgeSectionAsync(TextWriter output, IMaterializer materializer)
    {
        output.WriteLine("== boneage: two hand images through the batch scorer (committed demonstration model)");
        return Vigil.BoneAge.Demo.BoneAgeDemo.RunAsync(output, RepositoryPaths.Root, RepositoryPaths.Shared, materializer: materializer);
    }

    // The PPG section passes when the tracker's error on the generated recording (known truth)
    // stays within a plausible bound; a regression there should fail the demo loudly.
    private static async Task<int> PpgSectionAsync(TextWriter output, IMaterializer materializer)
    {
        output.WriteLine("== ppg: wrist heart rate on a generated recording with motion artefacts (nothing from ../shared)");
        var score = await Vigil.Ppg.Demo.PpgDemo.RunAsync(output, materializer: materializer);
        const double plausibleMaeBpm = 5.0;
        if (score.MaeBpm <= plausibleMaeBpm) return 0;
        output.WriteLine($"  MAE {score.MaeBpm:0.00} BPM exceeds the demo's bound of {plausibleMaeBpm} BPM");
        return 1;
    }
}
