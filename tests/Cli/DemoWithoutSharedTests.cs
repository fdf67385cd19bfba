using System.Diagnostics;
using Vigil.BoneAge.Demo;
using Vigil.Tests.Common;

namespace Vigil.Cli.Tests;

/// <summary>
/// `vigil demo` from a plain clone: no ../shared beside the repository. Every section must run on
/// what the repository carries or generates, say so, and the command must exit 0.
/// </summary>
public sealed class DemoWithoutSharedTests
{
    private static string MissingShared() => Path.Combine(Path.GetTempPath(), "vigil-no-shared-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task BoneAgeDemo_SharedAbsent_ScoresGeneratedStandInsAndSaysSo()
    {
        var output = new StringWriter();
        var exit = await BoneAgeDemo.RunAsync(output, SharedData.RepositoryRoot, MissingShared());
        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("two GENERATED hand-shaped stand-ins", text);
        Assert.Contains("synthetic_hand_1.png: ok", text);
        Assert.Contains("synthetic_hand_2.png: ok", text);
        Assert.Contains("NOT FOR CLINICAL USE", text);
    }

    [Fact]
    public void SyntheticRadiograph_DecodesAsAGreyPngOfItsSize()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-synthetic-{Guid.NewGuid():N}.png");
        try
        {
            SyntheticRadiograph.WritePng(path, 200, 260, brightness: 0.5, seed: 3);
            var image = Vigil.Imaging.RadiographLoader.Load(path);
            Assert.Equal((200, 260), (image.Image.Width, image.Image.Height));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task VigilDemo_ProcessWithSharedPointingNowhere_ExitsZeroEverySectionOk()
    {
        // The CLI as a user runs it (the built vigil.dll beside the tests), with VIGIL_SHARED at a missing folder.
        var dll = Path.Combine(AppContext.BaseDirectory, "vigil.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "demo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["VIGIL_SHARED"] = MissingShared(), ["VIGIL_HOME"] = SharedData.RepositoryRoot },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("shared data folder absent", text);
        Assert.Contains("demo: all sections ok", text);
        Assert.Contains("GENERATED", text);
    }
}
