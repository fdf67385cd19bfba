using Vigil.BoneAge.Demo;
using Vigil.Tests.Common;

namespace Vigil.BoneAge.Tests.Demo;

public sealed class TrainedModelDemoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-boneage-demo-labels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadLabels_SharedRadiographs_NineDistinctLabelledImages()
    {
        var dir = Path.GetDirectoryName(SharedData.Require("assets/radiographs/labels.csv"))!;
        var labels = TrainedModelDemo.ReadLabels(dir);
        // Ten rows, one of them the source repository's preprocessed copy of rsna_1381 (skipped).
        Assert.Equal(9, labels.Count);
        Assert.DoesNotContain(labels, l => l.Image.Contains("preprocessed", StringComparison.Ordinal));
        var girl = Assert.Single(labels, l => Path.GetFileName(l.Image) == "rsna_2182.png");
        Assert.False(girl.Male);
        Assert.Equal(69, girl.Months);
        Assert.True(Assert.Single(labels, l => Path.GetFileName(l.Image) == "rsna_4360.png").Male);
    }

    [Fact]
    public void ReadLabels_BadValue_NamesFileAndLine()
    {
        File.WriteAllText(Path.Combine(_dir, "labels.csv"), "file,boneage_months,male\na.png,12,True\nb.png,ten,False\n");
        var e = Assert.Throws<InvalidDataException>(() => TrainedModelDemo.ReadLabels(_dir));
        Assert.Contains("labels.csv:3", e.Message);
    }

    [Fact]
    public void ReadLabels_MissingColumn_Named()
    {
        File.WriteAllText(Path.Combine(_dir, "labels.csv"), "file,male\na.png,True\n");
        var e = Assert.Throws<InvalidDataException>(() => TrainedModelDemo.ReadLabels(_dir));
        Assert.Contains("boneage_months", e.Message);
    }
}
