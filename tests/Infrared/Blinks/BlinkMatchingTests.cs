using Vigil.Infrared.Blinks;
using Xunit;

namespace Vigil.Infrared.Tests.Blinks;

public sealed class BlinkMatchingTests
{
    [Fact]
    public void Count_TwoDetectionsOnOneBlink_OneToOne()
    {
        var labels = new List<BlinkEvent> { new(1000, 1300) };
        var detections = new List<BlinkEvent> { new(1000, 1100), new(1200, 1300) };

        var c = BlinkMatching.Count(detections, labels);

        Assert.Equal(new EventCounts(1, 1, 0), c);
        Assert.Equal(2.0 / 3, c.F1, 6);
    }

    [Theory]
    [InlineData(1550, 1700, true)]   // 250 ms after the label ends
    [InlineData(1650, 1700, false)]  // 350 ms after
    [InlineData(600, 700, true)]     // 300 ms before it starts
    [InlineData(500, 690, false)]
    public void Count_Tolerance_300ms(double start, double end, bool matches)
    {
        var c = BlinkMatching.Count([new BlinkEvent(start, end)], [new BlinkEvent(1000, 1300)]);
        Assert.Equal(matches ? 1 : 0, c.TruePositives);
    }

    [Fact]
    public void Count_ClosestPairsFirst()
    {
        // The first detection could match either label; the closest pairing gives two matches.
        var labels = new List<BlinkEvent> { new(1000, 1200), new(1600, 1800) };
        var detections = new List<BlinkEvent> { new(1350, 1450), new(1000, 1150) };
        Assert.Equal(2, BlinkMatching.Count(detections, labels).TruePositives);
    }
}
