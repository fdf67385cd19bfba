using Vigil.Infrared.Faces;
using Vigil.Tests.Common;

namespace Vigil.Infrared.Tests.Faces;

public sealed class ChipsDatasetTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vigil-chips-" + Guid.NewGuid().ToString("N"));

    public ChipsDatasetTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadLabels_GluedClassAndCentre_ReadAsClassZeroAndCentre()
    {
        var path = Path.Combine(_dir, "a.txt");
        File.WriteAllText(path, "00.1625 0.279 0.05 0.09\n0 0.5 0.5 0.1 0.2\n");
        var faces = ChipsDataset.ReadLabels(path, 160, 120);
        Assert.Equal(2, faces.Count);
        Assert.Equal(0.1625f * 160 - 0.05f * 160 / 2, faces[0].X, 3);
        Assert.Equal(0.05f * 160, faces[0].Width, 3);
        Assert.Equal(0.279f * 120 - 0.09f * 120 / 2, faces[0].Y, 3);
        Assert.Equal(0.2f * 120, faces[1].Height, 3);
    }

    [Fact]
    public void ReadLabels_MalformedLine_NamesFileAndLine()
    {
        var path = Path.Combine(_dir, "b.txt");
        File.WriteAllText(path, "0 0.5 0.5 0.1 0.2\n0 0.5 nan 0.1\n");
        var e = Assert.Throws<InvalidDataException>(() => ChipsDataset.ReadLabels(path, 160, 120));
        Assert.Contains("b.txt:2", e.Message);
    }

    [Fact]
    public void Split_SharedChips_DeterministicGroupsNeverCrossParts()
    {
        var dataset = ChipsDataset.Load(SharedData.Require("data/thermal-faces/chips"));
        Assert.Equal(1000, dataset.Images.Count);
        Assert.All(dataset.Images, i => Assert.True(i.Labelled, $"{i.Name} has no label file"));
        var byGroup = dataset.Images.GroupBy(i => ChipsSplit.GroupOf(i.Name));
        Assert.All(byGroup, g => Assert.Single(g.Select(i => i.Part).Distinct()));
        var counts = Enum.GetValues<ChipsPart>().ToDictionary(p => p, p => dataset.Part(p).Count);
        Assert.InRange(counts[ChipsPart.Train], 600, 800);
        Assert.InRange(counts[ChipsPart.Validation], 80, 250);
        Assert.InRange(counts[ChipsPart.Test], 80, 250);
        Assert.Equal(ChipsPart.Test, ChipsSplit.PartOf(dataset.Part(ChipsPart.Test)[0].Name));
        Assert.Equal("group1/4", ChipsSplit.GroupOf("group1_107.jpeg"));
    }
}
