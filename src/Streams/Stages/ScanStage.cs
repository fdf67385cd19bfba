using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Emits the running accumulation of the elements, fused.
/// Emits: the new accumulator for each element. Completes: when upstream completes.
/// Fails: when the function throws and the decider says Stop. Resume skips the element and keeps
/// the accumulator; Restart skips it and resets the accumulator to the seed.
/// </summary>
internal sealed class ScanStage<T, TAccumulate>(Outlet<T> upstream, TAccumulate seed, Func<TAccumulate, T, TAccumulate> fold, StageRuntime stage)
    : LinearOutlet<T, TAccumulate>(upstream)
{
    private readonly TAccumulate _seed = seed;
    private TAccumulate _accumulator = seed;

    public override bool TryPull(out TAccumulate item)
    {
        while (Upstream.TryPull(out var element))
        {
            stage.In++;
            var start = stage.SampleStart();
            try { _accumulator = fold(_accumulator, element); }
            catch (Exception e)
            {
                if (stage.Handle(e, element) == SupervisionDirective.Restart) _accumulator = _seed;
                continue;
            }
            stage.SampleEnd(start);
            stage.Out++;
            item = _accumulator;
            return true;
        }
        item = default!;
        return false;
    }
}
