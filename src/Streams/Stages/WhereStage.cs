using Vigil.Streams.Fusion;
using Vigil.Streams.Materialization;

namespace Vigil.Streams.Stages;

/// <summary>
/// Passes only elements matching a predicate, fused.
/// Emits: when an upstream element matches. Backpressures: when downstream does not pull.
/// Completes: when upstream completes. Fails: when the predicate throws and the decider says Stop
/// (Resume/Restart dead-letter the element).
/// </summary>
internal sealed class WhereStage<T>(Outlet<T> upstream, Func<T, bool> predicate, StageRuntime stage)
    : LinearOutlet<T, T>(upstream)
{
    public override bool TryPull(out T item)
    {
        while (Upstream.TryPull(out item))
        {
            stage.In++;
            bool keep;
            try { keep = predicate(item); }
            catch (Exception e) { stage.Handle(e, item); continue; }
            if (keep) { stage.Out++; return true; }
        }
        return false;
    }
}
