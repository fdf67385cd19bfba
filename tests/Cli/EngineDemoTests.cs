using Akka.Streams;
using Vigil.Cli.Demo;
using Vigil.Tests.Common;

namespace Vigil.Cli.Tests;

public sealed class EngineDemoTests() : Akka.TestKit.Xunit2.TestKit(AkkaTestConfig.Quiet)
{
    [Fact]
    public async Task Run_GeneratedWard_SummarisesValidReadingsAndDeadLettersFaults()
    {
        var output = new StringWriter();
        var exit = await EngineDemo.RunAsync(output, Sys.Materializer());
        var text = output.ToString();
        Assert.Equal(0, exit);
        // 3 patients × 40 readings, patient 3 glitches at readings 5, 18, 31.
        Assert.Contains("ok: 117 valid readings summarised, 3 invalid ones dead-lettered, none lost", text);
        Assert.Contains("dead letter at 'validate': patient patient-3 reading #18", text);
        Assert.Contains("patient-3: readings  0-39  n=37", text);
    }
}
