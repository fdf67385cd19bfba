using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Transforms each element with the state of its key (a patient's tracker, a device's
/// calibration), fused: one dictionary of states per materialization, created on a key's first
/// element. Emits: one output per element. Backpressures: when downstream does not pull.
/// Completes: when upstream completes. Fails: when the step throws and the decider says Stop;
/// on Resume the element goes to the dead letters and the key keeps its state; on Restart the key's
/// state is dropped as well, so its next element starts a fresh one.
/// </summary>
internal sealed class SelectPerKeyStage<TIn, TKey, TState, TOut>(
    Outlet<TIn> upstream, Func<TIn, TKey> keySelector, Func<TKey, TIn, TState> createState, Func<TState, TIn, TOut> step, StageRuntime stage)
    : LinearOutlet<TIn, TOut>(upstream) where TKey : notnull
{
    private readonly Dictionary<TKey, TState> _states = new();

    public override bool TryPull(out TOut item)
    {
        while (Upstream.TryPull(out var element))
        {
            stage.In++;
            var start = stage.SampleStart();
            TKey key = default!;
            var keyed = false;
            try
            {
                key = keySelector(element) ?? throw new ArgumentNullException(nameof(element), "SelectPerKey key selector returned null.");
                keyed = true;
                if (!_states.TryGetValue(key, out var state)) _states[key] = state = createState(key, element);
                item = step(state, element);
            }
            catch (Exception e)
            {
                if (stage.Handle(e, element) == SupervisionDirective.Restart && keyed) _states.Remove(key);
                continue;
            }
            stage.SampleEnd(start);
            stage.Out++;
            return true;
        }
        item = default!;
        return false;
    }
}
