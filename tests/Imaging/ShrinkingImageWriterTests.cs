using Vigil.Imaging;

namespace Vigil.Imaging.Tests;

public sealed class ShrinkingImageWriterTests
{
    [Fact]
    public void Add_Factor2_AveragesBlocksAndDropsTheOddEdge()
    {
        var w = new ShrinkingImageWriter(5, 5, 2);
        for (var y = 0; y < 5; y++) w.Add(Enumerable.Range(0, 5).Select(x => (float)(10 * y + x)).ToArray());
        var image = w.Build();
        Assert.Equal((2, 2), (image.Width, image.Height));
        // Block (0,0): 0, 1, 10, 11 → 5.5; block (1,1): 22, 23, 32, 33 → 27.5.
        Assert.Equal([5.5f, 7.5f, 25.5f, 27.5f], image.Pixels);
    }

    [Fact]
    public void Add_Factor1_CopiesRows()
    {
        var w = new ShrinkingImageWriter(3, 2, 1);
        w.Add([1, 2, 3]);
        w.Add([4, 5, 6]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], w.Build().Pixels);
    }

    [Fact]
    public void Misuse_WrongRowLengthTooManyRowsOrEarlyBuild_ClearErrors()
    {
        var w = new ShrinkingImageWriter(3, 1, 1);
        Assert.Contains("expected 3", Assert.Throws<ArgumentException>(() => w.Add([1, 2])).Message);
        Assert.Contains("only 0 of 1 rows", Assert.Throws<InvalidOperationException>(() => w.Build()).Message);
        w.Add([1, 2, 3]);
        Assert.Contains("already added", Assert.Throws<InvalidOperationException>(() => w.Add([1, 2, 3])).Message);
    }

    [Fact]
    public void Constructor_FactorLargerThanTheImage_FallsBackToOne()
    {
        var w = new ShrinkingImageWriter(4, 40, 5);
        Assert.Equal(1, w.Factor);
        Assert.Equal((4, 40), (w.Width, w.Height));
    }
}
