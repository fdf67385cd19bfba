using Akka.Actor;

namespace Vigil.WardConsole.Api;

/// <summary>
/// What <c>/api/cluster</c> says about the actor system the console runs on: a standalone system
/// (<c>vigil serve</c>) or, inside <c>vigil node</c>, the cluster as this member sees it —
/// members with their roles and status, the unreachable ones, the leader.
/// </summary>
internal static class ClusterView
{
    public static object Describe(ActorSystem system)
    {
        var provider = ((ExtendedActorSystem)system).Provider;
        if (provider is not Akka.Cluster.ClusterActorRefProvider)
            return new { mode = "standalone", self = provider.DefaultAddress.ToString(), members = Array.Empty<object>(), unreachable = Array.Empty<string>() };
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        return new
        {
            mode = "cluster",
            self = cluster.SelfAddress.ToString(),
            selfRoles = cluster.SelfRoles.Order(StringComparer.Ordinal).ToArray(),
            leader = state.Leader?.ToString(),
            members = state.Members.Select(m => new
            {
                address = m.Address.ToString(),
                status = m.Status.ToString(),
                roles = m.Roles.Order(StringComparer.Ordinal).ToArray(),
                reachable = !state.Unreachable.Contains(m),
            }).ToArray(),
            unreachable = state.Unreachable.Select(m => m.Address.ToString()).Order(StringComparer.Ordinal).ToArray(),
        };
    }
}
