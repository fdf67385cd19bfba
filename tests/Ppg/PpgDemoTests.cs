using Vigil.Ppg.Demo;
using Xunit.Abstractions;

namespace Vigil.Ppg.Tests;

public sealed class PpgDemoTests(ITestOutputHelper log)
{
    [Fact]
    public async Task RunAsync_GeneratedRecording_PrintsMaeWithinThreeBpm()
    {
        var output = new StringWriter();
        var score = await PpgDemo.RunAsync(output).WaitAsync(TimeSpan.FromSeconds(60));
        log.WriteLine(output.ToString());
        Assert.Contains("MAE", output.ToString());
        Assert.True(score.MaeBpm < 3, $"demo MAE {score.MaeBpm:0.00}");
        Assert.Equal(147, score.Windows);
    }
}
