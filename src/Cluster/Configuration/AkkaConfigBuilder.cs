using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Persistence.Sql;

namespace Vigil.Cluster.Configuration;

/// <summary>
/// Turns the <c>vigil { }</c> settings into Akka's configuration: remoting, seed nodes, roles, the
/// Split Brain Resolver, sharding, the SQL journal and snapshot store, and explicit serializer
/// bindings. The file's own <c>akka { }</c> settings take precedence over what is generated here.
/// </summary>
public static class AkkaConfigBuilder
{
    /// <summary>Actor system name shared by every node (part of every node address).</summary>
    public const string SystemName = "vigil";

    /// <summary>The SBR and failure-detector settings Vigil uses unless cluster.conf says otherwise (documented in docs/cluster.md).</summary>
    public const string ResilienceDefaults = """
        akka.cluster {
          downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
          split-brain-resolver {
            active-strategy = keep-majority
            stable-after = 5s
            down-all-when-unstable = on
          }
          down-removal-margin = 1s
          failure-detector { heartbeat-interval = 1s, acceptable-heartbeat-pause = 3s }
          # How often the detector's verdict is checked and the leader moves Down to Removed (Akka: 1 s each).
          unreachable-nodes-reaper-interval = 250ms
          leader-actions-interval = 250ms
          # Spreads the Down decision (convergence) sooner; cheap for a cluster of a few nodes.
          gossip-interval = 500ms
        }
        """;

    /// <summary>The full configuration for a node with <paramref name="config"/>.</summary>
    public static Config Build(ClusterConfig config)
    {
        string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var self = $"{config.Node.Host}:{config.Node.Port}";
        var seeds = (config.SeedNodes.Count > 0 ? config.SeedNodes : [self])
            .Select(s => Quote($"akka.tcp://{SystemName}@{s}"));
        // PostgreSQL: a bounded pool per node unless the connection string sets one (Npgsql's default
        // of 100 per node exhausts the server's 100 connections with a few busy nodes).
        var (provider, connection) = config.Persistence.Backend == "postgresql"
            ? ("PostgreSQL.15", config.Persistence.ConnectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase)
                ? config.Persistence.ConnectionString
                : config.Persistence.ConnectionString.TrimEnd(';') + ";Maximum Pool Size=16")
            : ("SQLite.MS", config.Persistence.ConnectionString);
        var generated = $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              actor {
                provider = cluster
                serializers.vigil = "Vigil.Cluster.Serialization.VigilSerializer, Vigil.Cluster"
                serialization-bindings { "Vigil.Cluster.Messages.IVigilMessage, Vigil.Cluster" = vigil }
              }
              remote.dot-netty.tcp {
                hostname = {{Quote(config.Node.Host)}}
                port = {{config.Node.Port}}
                maximum-frame-size = 4MiB
              }
              cluster {
                seed-nodes = [{{string.Join(", ", seeds)}}]
                roles = [{{string.Join(", ", config.Node.Roles.Select(Quote))}}]
                sharding {
                  role = "ingest"
                  remember-entities = on
                  remember-entities-store = eventsourced
                  # The coordinator's shard homes in Distributed Data (replicated in memory, majority
                  # writes), not a journal write per allocation: after a crash the dead node's shards
                  # are allocated without a database round trip each. Which shards and entities exist
                  # stays in the journal (remember-entities-store = eventsourced), so a restart of the
                  # whole cluster still brings every patient back; no LMDB durable store is needed.
                  state-store-mode = ddata
                  journal-plugin-id = "akka.persistence.journal.sql"
                  snapshot-plugin-id = "akka.persistence.snapshot-store.sql"
                  passivation.strategy = none
                  # Loading a shard's remembered entities waits on the journal: generous on a busy
                  # machine, or the shard stops and backs off (10 s) instead of waiting a little longer.
                  waiting-for-state-timeout = 30s
                  updating-state-timeout = 30s
                  # How soon a region asks again for the home of a shard it holds messages for (and
                  # re-registers): after a node is downed its shards move only when asked; Akka's 2 s
                  # default added up to 2 s to every failover.
                  retry-interval = 500ms
                }
              }
              persistence {
                journal.plugin = "akka.persistence.journal.sql"
                journal.sql {
                  connection-string = {{Quote(connection)}}
                  provider-name = {{Quote(provider)}}
                  auto-initialize = on
                }
                snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
                snapshot-store.sql {
                  connection-string = {{Quote(connection)}}
                  provider-name = {{Quote(provider)}}
                  auto-initialize = on
                }
                query.journal.sql {
                  connection-string = {{Quote(connection)}}
                  provider-name = {{Quote(provider)}}
                }
              }
            }
            """;
        var result = ConfigurationFactory.ParseString(generated).WithFallback(ConfigurationFactory.ParseString(ResilienceDefaults));
        if (config.AkkaOverrides.Length > 0) result = ConfigurationFactory.ParseString(config.AkkaOverrides).WithFallback(result);
        return result
            .WithFallback(SqlPersistence.DefaultConfiguration)
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig());
    }
}
