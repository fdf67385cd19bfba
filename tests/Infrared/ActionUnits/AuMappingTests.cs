using Vigil.Infrared.ActionUnits;
using Vigil.Models.Cards;
using Vigil.Tests.Common;

namespace Vigil.Infrared.Tests.ActionUnits;

/// <summary>The blendshape → FACS table shipped in models/action-units, applied to known scores.</summary>
public sealed class AuMappingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-au-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string MappingPath => Path.Combine(SharedData.RepositoryRoot, "models", "action-units", "blendshapes-to-facs.json");

    internal static string LandmarkerCard => Path.Combine(SharedData.RepositoryRoot, "models", "face", "mediapipe-face-landmarker.card.json");

    private static IReadOnlyList<string> Labels => ModelCardReader.Read(LandmarkerCard, new Dictionary<string, string> { ["VIGIL_SHARED"] = SharedData.Root }).Labels;

    private static float[] Scores(params (string Name, float Value)[] set)
    {
        var labels = Labels;
        var s = new float[labels.Count];
        foreach (var (name, value) in set) s[labels.ToList().IndexOf(name)] = value;
        return s;
    }

    [Fact]
    public void Load_ShippedTable_HasTheDocumentedUnits()
    {
        var m = AuMapping.Load(MappingPath, Labels);
        foreach (var au in new[] { "AU1", "AU2", "AU4", "AU6", "AU7", "AU9", "AU12", "AU15", "AU20", "AU25", "AU26", "AU27", "AU45" })
            Assert.Contains(au, m.ActionUnits);
        Assert.Equal(["browDownLeft", "browDownRight"], m.Rules.Single(r => r.Au == "AU4").Blendshapes);
        Assert.Equal(["noseSneerLeft", "noseSneerRight"], m.Rules.Single(r => r.Au == "AU9").Blendshapes);
        Assert.Equal(0.5, m.ActiveThreshold);
    }

    [Fact]
    public void Apply_KnownScores_GivesTheTableIntensities()
    {
        var m = AuMapping.Load(MappingPath, Labels);
        var au = m.Apply(Scores(("jawOpen", 0.8f), ("browDownLeft", 1f), ("eyeBlinkLeft", 0.9f), ("eyeBlinkRight", 0.9f), ("cheekSquintRight", 0.4f)));
        float Of(string name) => au[m.ActionUnits.ToList().IndexOf(name)];
        Assert.Equal(0.8f, Of("AU26"), 5);
        Assert.Equal(0.6f, Of("AU27"), 5);   // (0.8 - 0.5) * 2
        Assert.Equal(0.5f, Of("AU4"), 5);    // one brow of two
        Assert.Equal(0.9f, Of("AU45"), 5);
        Assert.Equal(0.2f, Of("AU6"), 5);
        Assert.Equal(0f, Of("AU12"));
        Assert.All(au, v => Assert.InRange(v, 0f, 1f));
        // AU27 stays 0 while the jaw is less than half open.
        Assert.Equal(0f, m.Apply(Scores(("jawOpen", 0.4f)))[m.ActionUnits.ToList().IndexOf("AU27")]);
    }

    [Fact]
    public void Apply_NaNScore_IsRefusedNamingTheBlendshape()
    {
        var m = AuMapping.Load(MappingPath, Labels);
        var e = Assert.Throws<ArgumentException>(() => m.Apply(Scores(("jawOpen", float.NaN))));
        Assert.Contains("jawOpen", e.Message);
    }

    [Fact]
    public void Load_UnknownBlendshape_NamesFileAndBlendshape()
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, """{ "schema": "vigil.au-mapping/1", "action_units": [ { "au": "AU4", "blendshapes": ["browFrown"] } ] }""");
        var e = Assert.Throws<InvalidDataException>(() => AuMapping.Load(path, Labels));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains("browFrown", e.Message);
    }

    [Fact]
    public void Load_WrongSchema_IsRefused()
    {
        var path = Path.Combine(_dir, "schema.json");
        File.WriteAllText(path, """{ "schema": "other/1", "action_units": [] }""");
        Assert.Contains("schema", Assert.Throws<InvalidDataException>(() => AuMapping.Load(path, Labels)).Message);
    }
}
