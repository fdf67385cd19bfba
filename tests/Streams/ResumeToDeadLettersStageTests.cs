using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Vigil.Streams.Dsl;
using Vigil.Streams.Supervision;

namespace Vigil.Streams.Tests;

public sealed class ResumeToDeadLettersStageTests() : Akka.TestKit.Xunit2.TestKit(VirtualTime.Config)
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static double Validate(double hr) => double.IsFinite(hr) ? hr : throw new InvalidDataException($"heart rate is {hr}");

    [Fact]
    public async Task BadElements_GoToDeadLettersWithReason_OthersFlowInOrder()
    {
        var dead = new List<DeadLetter<double>>();
        var result = await Source.From(new[] { 60.0, double.NaN, 61, double.PositiveInfinity, 62 })
            .SelectOrDeadLetter(Validate, Sink.ForEach<DeadLetter<double>>(d => { lock (dead) dead.Add(d); }), "validate")
            .RunWith(Sink.Seq<double>(), Sys.Materializer()).WaitAsync(Safety);
        Assert.Equal([60.0, 61, 62], result);
        lock (dead)
        {
            Assert.Equal(2, dead.Count);
            Assert.True(double.IsNaN(dead[0].Element));
            Assert.Equal("validate", dead[0].Stage);
            Assert.Equal("heart rate is NaN", Assert.IsType<InvalidDataException>(dead[0].Error).Message);
            Assert.Equal(double.PositiveInfinity, dead[1].Element);
        }
    }

    // The stage with both outlets on probes.
    private (TestPublisher.Probe<double>, TestSubscriber.Probe<double>, TestSubscriber.Probe<DeadLetter<double>>) Probes()
    {
        var up = this.CreatePublisherProbe<double>();
        var main = this.CreateSubscriberProbe<double>();
        var dead = this.CreateSubscriberProbe<DeadLetter<double>>();
        RunnableGraph.FromGraph(GraphDsl.Create(b =>
        {
            var stage = b.Add(new ResumeToDeadLettersStage<double, double>(Validate, "validate"));
            b.From(Source.FromPublisher(up)).To(stage.In);
            b.From(stage.Out0).To(Sink.FromSubscriber(main));
            b.From(stage.Out1).To(Sink.FromSubscriber(dead));
            return ClosedShape.Instance;
        })).Run(Sys.Materializer());
        return (up, main, dead);
    }

    [Fact]
    public void DeadLetterWaitingForItsOutlet_BackpressuresUpstream()
    {
        var (up, main, dead) = Probes();
        main.Request(10);
        var deadSub = dead.ExpectSubscription();
        up.SendNext(double.NaN);
        up.SendNext(70);
        // The dead letter cannot go out yet, so the good element behind it is not processed either.
        main.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        deadSub.Request(1);
        Assert.True(double.IsNaN(dead.ExpectNext().Element));
        Assert.Equal(70, main.ExpectNext());
        up.SendComplete();
        main.ExpectComplete();
        dead.ExpectComplete();
    }

    [Fact]
    public void DeadLetterOutletCancelled_MainOutputKeepsFlowing()
    {
        var (up, main, dead) = Probes();
        main.Request(10);
        dead.ExpectSubscription().Cancel();
        up.SendNext(double.NaN).SendNext(80).SendNext(double.NaN).SendNext(81);
        Assert.Equal(80, main.ExpectNext());
        Assert.Equal(81, main.ExpectNext());
        main.Cancel();
        up.ExpectCancellation();
    }
}
