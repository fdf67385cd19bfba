using System.Security.Cryptography;
using Vigil.BoneAge.Demo;
using Vigil.Models.Cards;
using Vigil.Tests.Common;

namespace Vigil.BoneAge.Tests.Scoring;

/// <summary>The committed demonstration model is exactly what the builder writes, and its card matches it.</summary>
public sealed class DemoModelFilesTests
{
    public static string CardPath => Path.Combine(SharedData.RepositoryRoot, "models", "boneage-demo", "boneage-demo.card.json");

    [Fact]
    public void BoneAgeDemoModel_CommittedOnnx_IsWhatTheBuilderWrites()
    {
        var path = Path.Combine(SharedData.RepositoryRoot, "models", "boneage-demo", "boneage-demo.onnx");
        var built = BoneAgeDemoModel.Build();
        if (Environment.GetEnvironmentVariable("VIGIL_REGENERATE_BONEAGE_DEMO") == "1") File.WriteAllBytes(path, built);
        Assert.True(File.Exists(path), $"{path} is missing; run this test with VIGIL_REGENERATE_BONEAGE_DEMO=1 to write it");
        Assert.Equal(built, File.ReadAllBytes(path));
    }

    [Fact]
    public void BoneAgeDemoCard_Sha256AndClinicalUse_MatchTheModel()
    {
        var card = ModelCardReader.Read(CardPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(BoneAgeDemoModel.Build())), card.Sha256);
        Assert.True(card.NotForClinicalUse);
        Assert.Contains("not for clinical use", card.Description, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("bone-age-regression", card.Task);
    }
}
