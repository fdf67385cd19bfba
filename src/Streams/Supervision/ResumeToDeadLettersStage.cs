using Akka.Streams;
using Akka.Streams.Stage;

namespace Vigil.Streams.Supervision;

/// <summary>
/// <c>Select</c> with Resume supervision that does not lose what it skips: each element goes through
/// <c>selector</c>; when that throws, the element and the exception go to the dead-letter outlet
/// (<c>Out1</c>) as a <see cref="DeadLetter{T}"/> and the stage goes on with the next element. So one
/// patient's bad reading never stops the others, and the bad reading is kept with its reason.
/// <para><b>Emits</b> on <c>Out0</c> the selector's result; on <c>Out1</c> a dead letter when the selector throws.</para>
/// <para><b>Backpressures</b> when <c>Out0</c> backpressures, and while a dead letter waits for <c>Out1</c>.</para>
/// <para><b>Completes</b> when upstream completes and pending dead letters are out.</para>
/// <para><b>Cancels</b> when <c>Out0</c> cancels; a cancelled <c>Out1</c> only drops later dead letters.</para>
/// <para><b>Fails</b> when upstream fails; never because of the selector.</para>
/// </summary>
/// <typeparam name="TIn">Input element.</typeparam>
/// <typeparam name="TOut">Output element.</typeparam>
public sealed class ResumeToDeadLettersStage<TIn, TOut> : GraphStage<FanOutShape<TIn, TOut, DeadLetter<TIn>>>
{
    private readonly Func<TIn, TOut> _selector;
    private readonly string _name;

    /// <summary>Creates the stage.</summary>
    /// <param name="selector">The per-element work; its exceptions become dead letters.</param>
    /// <param name="name">The stage's name, recorded in each dead letter.</param>
    public ResumeToDeadLettersStage(Func<TIn, TOut> selector, string name = "select")
    {
        _selector = selector ?? throw new ArgumentNullException(nameof(selector));
        _name = name;
        Shape = new FanOutShape<TIn, TOut, DeadLetter<TIn>>(In, Out, DeadLetters);
    }

    /// <summary>The input port.</summary>
    public Inlet<TIn> In { get; } = new("resume.in");

    /// <summary>Results.</summary>
    public Outlet<TOut> Out { get; } = new("resume.out");

    /// <summary>Elements the selector refused, with the reason.</summary>
    public Outlet<DeadLetter<TIn>> DeadLetters { get; } = new("resume.deadLetters");

    /// <inheritdoc />
    public override FanOutShape<TIn, TOut, DeadLetter<TIn>> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes => Attributes.CreateName(_name);

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly ResumeToDeadLettersStage<TIn, TOut> _stage;
        private bool _deadLetterPending;
        private bool _deadLettersCancelled;

        public Logic(ResumeToDeadLettersStage<TIn, TOut> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () => { Complete(stage.Out); Complete(stage.DeadLetters); });
            SetHandler(stage.Out, onPull: TryPull, onDownstreamFinish: CancelStage);
            SetHandler(stage.DeadLetters, onPull: () => { }, onDownstreamFinish: _ => _deadLettersCancelled = true);
        }

        private void OnPush()
        {
            var element = Grab(_stage.In);
            TOut result;
            try
            {
                result = _stage._selector(element);
            }
            catch (Exception e)
            {
                if (!_deadLettersCancelled)
                {
                    _deadLetterPending = true;
                    Emit(_stage.DeadLetters, new DeadLetter<TIn>(element, e, _stage._name), () => { _deadLetterPending = false; TryPull(); });
                }
                TryPull();
                return;
            }
            Push(_stage.Out, result);
        }

        // Pull only with demand on Out and no dead letter waiting for its outlet.
        private void TryPull()
        {
            if (!_deadLetterPending && IsAvailable(_stage.Out) && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In)) Pull(_stage.In);
        }
    }
}
