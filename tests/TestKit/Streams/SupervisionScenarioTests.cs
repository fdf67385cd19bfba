using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.TestKit.Tests.Streams;

public sealed class SupervisionScenarioTests
{
    private static int ParseOrThrow(string s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Stop_FailingElement_FailsStreamNamingStage()
    {
        using var materializer = new Materializer();
        var sink = Source.From(new[] { "1", "x", "3" }).Select(ParseOrThrow).Named("parse")
            .RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(3).ExpectNext(1);
        var error = Assert.IsType<StageFailedException>(sink.ExpectError());
        Assert.Equal("parse", error.Stage);
        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public void Resume_FailingElement_GoesToDeadLettersAndStreamContinues()
    {
        var letters = new DeadLetterCollector();
        using var materializer = new Materializer(new MaterializerOptions { DeadLetters = letters });
        var sink = Source.From(new[] { "1", "x", "3" }).Select(ParseOrThrow).Named("parse").WithSupervision(Supervision.Resume)
            .RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(3).ExpectNext(1, 3).ExpectComplete();
        var letter = Assert.Single(letters.Letters);
        Assert.Equal("parse", letter.Stage);
        Assert.Equal("x", letter.Element);
        Assert.IsType<FormatException>(letter.Error);
        Assert.Equal(SupervisionDirective.Resume, letter.Directive);
    }

    [Fact]
    public void Restart_FailingElement_ResetsStageState()
    {
        using var materializer = new Materializer();
        var sink = Source.From(new[] { "1", "2", "x", "3" }).Scan(0, (sum, s) => sum + ParseOrThrow(s)).Named("sum")
            .WithSupervision(Supervision.Restart)
            .RunWith(TestSink.Probe<int>(), materializer);
        // Restart drops the accumulated 3 and starts again from the seed.
        sink.Request(4).ExpectNext(1, 3, 3).ExpectComplete();
    }

    [Fact]
    public void Resume_ScanFailingElement_KeepsStageState()
    {
        using var materializer = new Materializer();
        var sink = Source.From(new[] { "1", "2", "x", "3" }).Scan(0, (sum, s) => sum + ParseOrThrow(s))
            .WithSupervision(Supervision.Resume)
            .RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(4).ExpectNext(1, 3, 6).ExpectComplete();
    }

    [Fact]
    public void Decider_ByExceptionType_ChoosesPerError()
    {
        using var materializer = new Materializer();
        Decider decider = e => e is FormatException ? SupervisionDirective.Resume : SupervisionDirective.Stop;
        var sink = Source.From(new[] { "1", "x", "99999999999", "4" }).Select(ParseOrThrow).WithSupervision(decider)
            .RunWith(TestSink.Probe<int>(), materializer);
        sink.Request(4).ExpectNext(1);
        Assert.IsType<OverflowException>(Assert.IsType<StageFailedException>(sink.ExpectError()).InnerException);
    }
}
