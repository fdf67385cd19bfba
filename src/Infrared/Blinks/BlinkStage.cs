using Akka.Streams;
using Akka.Streams.Stage;

namespace Vigil.Infrared.Blinks;

/// <summary>
/// Akka.Streams operator: thermal eye-region frames in, blinks out, through one <see cref="BlinkDetector"/>
/// per materialization (one stream = one eye region of one patient).
/// <para><b>Emits</b> a blink once it is final (<see cref="BlinkDetectorOptions.MergeGapMs"/> after its end), and the last pending one when upstream completes.</para>
/// <para><b>Backpressures</b> when downstream backpressures while blinks wait to be emitted.</para>
/// <para><b>Completes</b> when upstream completes and the pending blinks are emitted.</para>
/// <para><b>Cancels</b> when downstream cancels.</para>
/// <para><b>Fails</b> with <see cref="InvalidDataException"/> naming the source when a frame is malformed (wrong size, non-finite temperature, time going backwards).</para>
/// </summary>
public sealed class BlinkStage : GraphStage<FlowShape<EyeFrame, BlinkEvent>>
{
    private readonly BlinkDetectorOptions _options;
    private readonly string _source;

    /// <summary>Creates the operator; <paramref name="source"/> names the stream in error messages.</summary>
    public BlinkStage(BlinkDetectorOptions? options = null, string source = "thermal stream")
    {
        _options = (options ?? new BlinkDetectorOptions()).Validate();
        _source = source;
        Shape = new FlowShape<EyeFrame, BlinkEvent>(In, Out);
    }

    /// <summary>Frames in.</summary>
    public Inlet<EyeFrame> In { get; } = new("Blinks.in");

    /// <summary>Blinks out.</summary>
    public Outlet<BlinkEvent> Out { get; } = new("Blinks.out");

    /// <inheritdoc />
    public override FlowShape<EyeFrame, BlinkEvent> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("blinks");

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        public Logic(BlinkStage stage) : base(stage.Shape)
        {
            var detector = new BlinkDetector(stage._options, stage._source);
            SetHandler(stage.In,
                onPush: () =>
                {
                    var found = detector.Push(Grab(stage.In));
                    if (found.Count == 0) Pull(stage.In);
                    else EmitMultiple(stage.Out, found, () => { if (!IsClosed(stage.In) && !HasBeenPulled(stage.In)) Pull(stage.In); });
                },
                onUpstreamFinish: () =>
                {
                    var rest = detector.Complete();
                    if (rest.Count == 0) CompleteStage();
                    else EmitMultiple(stage.Out, rest, CompleteStage);
                });
            SetHandler(stage.Out, onPull: () => { if (!HasBeenPulled(stage.In) && !IsClosed(stage.In)) Pull(stage.In); });
        }
    }
}
