using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Event;
using Akka.Streams.Stage;

namespace Vigil.Infrared.Alerts;

/// <summary>
/// Dyspnea alerts for many patients in one stage: a <see cref="DyspneaAssessor"/> per patient, and a
/// per-patient timer on the materializer's scheduler (virtual in tests) that reports a sensor dropout
/// when no input for that patient arrives for <see cref="DyspneaAlertCard.DropoutSeconds"/>. One
/// patient's bad input (a NaN intensity, a window out of order) changes nothing for the others.
/// <list type="bullet">
/// <item>emits when: an input or a timer changes a patient's alert or monitoring state</item>
/// <item>backpressures when: downstream does not pull (pending events are held, input is not pulled)</item>
/// <item>completes when: upstream completes and pending events are emitted</item>
/// </list>
/// </summary>
public sealed class DyspneaAlertStage : GraphStage<FlowShape<DyspneaInput, DyspneaEvent>>
{
    private readonly DyspneaAlertCard _card;

    /// <summary>Creates the stage with <paramref name="card"/>'s thresholds.</summary>
    public DyspneaAlertStage(DyspneaAlertCard card)
    {
        _card = card.Validate("dyspnea card");
        Shape = new FlowShape<DyspneaInput, DyspneaEvent>(In, Out);
    }

    /// <summary>The stage as a flow.</summary>
    public static Flow<DyspneaInput, DyspneaEvent, NotUsed> Flow(DyspneaAlertCard card) => Akka.Streams.Dsl.Flow.FromGraph(new DyspneaAlertStage(card));

    private Inlet<DyspneaInput> In { get; } = new("DyspneaAlert.in");

    private Outlet<DyspneaEvent> Out { get; } = new("DyspneaAlert.out");

    /// <inheritdoc/>
    public override FlowShape<DyspneaInput, DyspneaEvent> Shape { get; }

    /// <inheritdoc/>
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private readonly DyspneaAlertStage _stage;
        private readonly Dictionary<string, DyspneaAssessor> _patients = new();

        public Logic(DyspneaAlertStage stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public void OnPush()
        {
            var input = Grab(_stage.In);
            if (!_patients.TryGetValue(input.PatientId, out var assessor))
                _patients[input.PatientId] = assessor = new DyspneaAssessor(input.PatientId, _stage._card);
            ScheduleOnce(input.PatientId, TimeSpan.FromSeconds(_stage._card.DropoutSeconds));
            IReadOnlyList<DyspneaEvent> events;
            try
            {
                events = input switch
                {
                    BreathingInput b => assessor.OnBreathing(b.Window),
                    ActionUnitInput a => assessor.OnActionUnits(a.Sample),
                    _ => [],
                };
            }
            catch (ArgumentException e)
            {
                // One patient's malformed input is logged and dropped; the graph keeps serving.
                Log.Warning("dyspnea alert: patient {0}: input dropped: {1}", input.PatientId, e.Message);
                events = [];
            }
            if (events.Count > 0) EmitMultiple(_stage.Out, events, PullIfNeeded);
            else PullIfNeeded();
        }

        public void OnUpstreamFinish() => Complete(_stage.Out);

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull() => PullIfNeeded();

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        protected override void OnTimer(object timerKey)
        {
            if (timerKey is string patient && _patients.TryGetValue(patient, out var assessor))
            {
                var events = assessor.OnDropout();
                if (events.Count > 0) EmitMultiple(_stage.Out, events);
            }
        }

        private void PullIfNeeded()
        {
            if (!HasBeenPulled(_stage.In) && !IsClosed(_stage.In)) Pull(_stage.In);
        }
    }
}
