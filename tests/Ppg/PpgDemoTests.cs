using Vigil.Ppg.Demo;

namespace Vigil.Ppg.Tests;

public sealed class PpgDemoTests
{
    [Fact]
    public async Task RunAsync_GeneratedRecording_PrintsMaeWithinThreeBpm()
    {
        var output = new StringWriter();
        var score = await PpgDemo.RunAsync(output).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("MAE", output.ToString());
        Assert.True(score.MaeBpm < 3, $"demo MAE {score.MaeBpm:0.00}");
        Assert.Equal(147, score.Windows);
    }
}
