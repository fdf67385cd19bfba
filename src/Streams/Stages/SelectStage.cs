using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Transforms each element with a function, fused (a direct call, no queue).
/// Emits: when pulled and upstream has an element. Backpressures: when downstream does not pull.
/// Completes: when upstream completes. Fails: when the function throws and the decider says Stop;
/// on Resume/Restart the element and error go to the dead letters and the next element is pulled.
/// </summary>
internal sealed class SelectStage<TIn, TOut>(Outlet<TIn> upstream, Func<TIn, TOut> selector, StageRuntime stage)
    : LinearOutlet<TIn, TOut>(upstream)
{
    public override bool TryPull(out TOut item)
    {
        while (Upstream.TryPull(out var element))
        {
            stage.In++;
            var start = stage.SampleStart();
            try
            {
                item = selector(element);
            }
            catch (Exception e)
            {
                stage.Handle(e, element);
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
