using Vigil.Cli.Demo;

namespace Vigil.Cli.Tests;

public sealed class EngineDemoTests
{
    [Fact]
    public async Task Run_GeneratedWard_SummarisesValidReadingsAndDeadLettersFaults()
    {
        var output = new StringWriter();
        var exit = await EngineDemo.RunAsync(output);
        var text = output.ToString();
        Assert.Equal(0, exit);
        // 3 patients × 40 readings, patient 3 glitches at readings 5, 18, 31.
        Assert.Contains("ok: 117 valid readings summarised, 3 invalid ones dead-lettered, none lost", text);
        Assert.Contains("dead letter at 'validate': patient patient-3 reading #18", text);
    }
}
