using Vigil.Streams;
using Vigil.TestKit.Streams;

namespace Vigil.TestKit.Tests.Streams;

public sealed class DeadlockRefusalScenarioTests
{
    [Fact]
    public void Zip_AfterFilteringBranch_RefusedBeforeAnythingRuns()
    {
        using var materializer = new Materializer();
        var source = TestSource.Probe<int>();
        var branches = source.Source.Broadcast(2);
        var zipped = branches[0].Where(x => x > 0).Named("positive").Zip(branches[1].Select(x => x * 2).Named("double"));
        var error = Assert.Throws<GraphValidationException>(() => zipped.RunWith(TestSink.Probe<(int, int)>(), materializer));
        Assert.Equal(new[] { "Broadcast#1", "Broadcast#1[0]", "positive", "Zip#1", "double", "Broadcast#1[1]" }, error.Stages);
        Assert.Equal(0, source.Pulled);
    }

    [Fact]
    public void Cycle_WithoutBuffer_RefusedNamingEveryStageOnIt()
    {
        using var materializer = new Materializer();
        var loop = new FeedbackLoop<int>();
        var outs = Source.From(new[] { 1 }).Merge(loop.Source).Select(x => x + 1).Named("increment").Broadcast(2);
        var error = Assert.Throws<GraphValidationException>(() =>
            materializer.Materialize("cycle", outs[0].Where(x => x < 5).Named("again").To(loop.Sink), outs[1].To(TestSink.Probe<int>())));
        Assert.Equal(new[] { "Feedback#1", "Merge#1", "increment", "Broadcast#1", "again", "Feedback#1" }, error.Stages);
    }
}
