using Vigil.Tests.Common;

namespace Vigil.Cli.Tests;

/// <summary>
/// Bad input through the real entry point (<c>Program.RunAsync</c>): every error is exactly one
/// line, <c>vigil COMMAND: ...</c>, naming the file and the fault, with exit code 2 and no stack trace.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Card => Path.Combine(SharedData.RepositoryRoot, "models", "boneage-demo", "boneage-demo.card.json");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    // A folder with one (never decoded) image so that input resolution passes.
    private string Images()
    {
        var dir = Path.Combine(_dir, "images");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "hand.png"), [1, 2, 3]);
        return dir;
    }

    private static async Task<string> ExpectError(params string[] args)
    {
        var error = new StringWriter();
        var rc = await Program.RunAsync(args, error).WaitAsync(TimeSpan.FromSeconds(120));
        var text = error.ToString();
        Assert.True(rc == 2, $"exit {rc}, expected 2; stderr: {text}");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}: {text}");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.StartsWith($"vigil {args[0]}: ", lines[0]);
        return lines[0].TrimEnd();
    }

    [Fact]
    public async Task BoneAgeScore_ManifestOfAnotherLayout_OneLineNamingTheManifest()
    {
        var manifest = Write("other.csv", "patient_id,dob,weight\n7,2019-02-01,20\n");
        var line = await ExpectError("boneage", "score", "--input", Images(), "--manifest", manifest, "--model", Card, "--out", Path.Combine(_dir, "out"));
        Assert.Equal($"vigil boneage: manifest {manifest}: header 'patient_id,dob,weight' is not a manifest layout: expected image,sex,age_months (Vigil) or id,boneage,male (RSNA)", line);
    }

    [Theory]
    [InlineData("image,sex,age_months\nhand.png,F,ten\n", "line 2: age_months 'ten' is not a number of months")]
    [InlineData("image,sex,age_months\nhand.png,F\n", "line 2: 2 fields, expected 3")]
    [InlineData("id,boneage,male\n1377,180,perhaps\n", "line 2: male 'perhaps' is not True or False")]
    [InlineData("", "file is empty")]
    public async Task BoneAgeScore_MalformedManifest_OneLineNamingFileAndLine(string text, string expected)
    {
        var manifest = Write("m.csv", text);
        var line = await ExpectError("boneage", "score", "--input", Images(), "--manifest", manifest, "--model", Card, "--out", Path.Combine(_dir, "out"));
        Assert.StartsWith($"vigil boneage: manifest {manifest}", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task BoneAgeScore_MissingManifest_SaysNotFound()
    {
        var missing = Path.Combine(_dir, "nope.csv");
        Assert.Equal($"vigil boneage: manifest {missing}: file not found",
            await ExpectError("boneage", "score", "--input", Images(), "--manifest", missing, "--model", Card, "--out", Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task BoneAgeScore_MissingOrMalformedCard_NamesTheCard()
    {
        var missing = Path.Combine(_dir, "missing.card.json");
        Assert.Contains(missing, await ExpectError("boneage", "score", "--input", Images(), "--model", missing, "--out", Path.Combine(_dir, "o1")));
        var broken = Write("broken.card.json", "{ \"id\": ");
        Assert.Contains(broken, await ExpectError("boneage", "score", "--input", Images(), "--model", broken, "--out", Path.Combine(_dir, "o2")));
    }

    [Fact]
    public async Task BoneAgeScore_BadNumbersOrOutIsAFile_OneLine()
    {
        Assert.Equal("vigil boneage: --batch expects an integer, got 'eight'",
            await ExpectError("boneage", "score", "--input", Images(), "--model", Card, "--out", _dir + "/o", "--batch", "eight"));
        var file = Write("taken", "x");
        Assert.StartsWith($"vigil boneage: --out {file}: is a file",
            await ExpectError("boneage", "score", "--input", Images(), "--model", Card, "--out", file));
        Assert.Contains("matches no files", await ExpectError("boneage", "score", "--input", Path.Combine(_dir, "*.dcm"), "--model", Card, "--out", _dir + "/o"));
        Assert.Contains("must be positive", await ExpectError("boneage", "bench", "--images", "-3"));
    }

    [Fact]
    public async Task PpgEval_MissingFolderOrMalformedRecording_NamesIt()
    {
        var missing = Path.Combine(_dir, "no-such-dir");
        Assert.Contains(missing, await ExpectError("ppg", "eval", "--data", missing));
        var data = Path.Combine(_dir, "ppg");
        Write("ppg/S1.csv", "t_s,ppg\n0,1\n");
        Write("ppg/S1.bpm.csv", "t_s,bpm\n0,70\n");
        var line = await ExpectError("ppg", "eval", "--data", data);
        Assert.Contains("S1.csv", line);
        Assert.Contains("missing column", line);
        Assert.Contains("expects a number", await ExpectError("ppg", "bench", "--seconds", "ten"));
        Assert.Contains("--phase must be 'hop' or 'batch'", await ExpectError("ppg", "bench", "--phase", "sideways"));
    }

    [Fact]
    public async Task ModelsList_MissingFolder_ExitTwoNamingIt()
    {
        // `models check` reports a mismatch as its own verdict (exit 1); an unreadable card is bad input (exit 2).
        var missing = Path.Combine(_dir, "none");
        Assert.Contains(missing, await ExpectError("models", "list", "--dir", missing));
    }

    [Fact]
    public async Task NodeAndCluster_MalformedOrMissingConfig_NameTheFile()
    {
        var conf = Write("bad.conf", "this is not key value\n");
        Assert.StartsWith($"vigil node: {conf}:1: ", await ExpectError("node", "--config", conf));
        Assert.StartsWith($"vigil cluster: {conf}:1: ", await ExpectError("cluster", "status", "--config", conf));
        var missing = Path.Combine(_dir, "missing.conf");
        Assert.Contains(missing, await ExpectError("node", "--config", missing));
    }

    [Fact]
    public async Task UnknownSubcommandOrOption_OneLine()
    {
        Assert.Contains("unknown subcommand 'grade'", await ExpectError("boneage", "grade"));
        Assert.Contains("unknown option --colour", await ExpectError("ppg", "bench", "--colour", "red"));
        Assert.Contains("unknown benchmark", await ExpectError("bench", "everything"));
    }
}
