using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Tests;

public sealed class ClusterConfigLoaderTests
{
    [Fact]
    public void Parse_RepositoryClusterConf_Loads()
    {
        var config = ClusterConfigLoader.Load(Path.Combine(Vigil.Tests.Common.SharedData.RepositoryRoot, "cluster.conf"));
        Assert.Equal("node-1", config.Node.Name);
        Assert.Contains(NodeRoles.Ingest, config.Node.Roles);
        Assert.Equal("sqlite", config.Persistence.Backend);
        var akka = AkkaConfigBuilder.Build(config);
        Assert.Equal("keep-majority", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("akka.persistence.journal.sql", akka.GetString("akka.persistence.journal.plugin"));
        Assert.True(akka.GetBoolean("akka.cluster.sharding.remember-entities"));
    }

    [Fact]
    public void Parse_NestedAndDottedKeys_ReadTheSameSettings()
    {
        var nested = ClusterConfigLoader.Parse("""
            vigil {
              node { name = gpu-2, port = 4100, roles = [inference, gpu] }
              seed-nodes = ["10.0.0.1:4053"]
              broker { hosts = ["mq1:5673", "mq2"], prefetch = 99 }
              persistence { backend = postgresql, connection-string = "Host=db" }
              models { echo { capacity = 8, handler = echo, delay = 5ms } }
            }
            """);
        Assert.Equal(["inference", "gpu"], nested.Node.Roles);
        Assert.Equal(4100, nested.Node.Port);
        Assert.Equal([new BrokerEndpoint("mq1", 5673), new BrokerEndpoint("mq2", 5672)], nested.Broker.Hosts);
        Assert.Equal(99, nested.Broker.Prefetch);
        var model = Assert.Single(nested.Models);
        Assert.Equal(("echo", 8, TimeSpan.FromMilliseconds(5)), (model.Id, model.Capacity, model.Delay));
        var dotted = ClusterConfigLoader.Parse("vigil.broker.prefetch = 7\nvigil.node.roles = [ingest]\n");
        Assert.Equal(7, dotted.Broker.Prefetch);
        Assert.Equal("Data Source=vigil-" + dotted.Node.Name + ".db", dotted.Persistence.ConnectionString);
    }

    [Theory]
    [InlineData("vigil {\n  node { name = a }\n  broker {\n    prefech = 3\n  }\n}\n", "x.conf:4: unknown key 'prefech' in vigil.broker; known keys: hosts, user")]
    [InlineData("vigil {\n  broker {\n    prefetch = lots\n  }\n}\n", "x.conf:3: vigil.broker.prefetch expects a positive integer, got 'lots'")]
    [InlineData("vigil {\n  node {\n    roles = [ingest, cook]\n  }\n}\n", "x.conf:3: vigil.node.roles: unknown role 'cook'; roles are ingest, inference, gpu")]
    [InlineData("vigil {\n  persistence.snapshot-interval = soon\n}\n", "x.conf:2: vigil.persistence.snapshot-interval expects a duration such as 250ms, 5s, 2m, got 'soon'")]
    [InlineData("vigil {\n  persistence { backend = oracle }\n}\n", "x.conf:2: vigil.persistence.backend expects sqlite or postgresql, got 'oracle'")]
    [InlineData("vigil {\n  node.roles = [ingest]\n  models {\n    cnn { handler = onnx }\n  }\n}\n", "x.conf:4: vigil.models.cnn has handler = onnx but no path")]
    [InlineData("vigil {\n  node.roles = [ingest]\n  models {\n    m { colour = red }\n  }\n}\n", "x.conf:4: unknown key 'colour' in vigil.models.m")]
    [InlineData("vigil {\n  node.roles = [ingest]\n  models { m { handler = echo } }\n}\n", "x.conf:3: vigil.models is set but vigil.node.roles [ingest] has neither inference nor gpu")]
    [InlineData("vigil {\n  node { port = 70000 }\n}\n", "x.conf:2: vigil.node.port expects a TCP port 0-65535, got '70000'")]
    [InlineData("vigal { }\n", "x.conf:1: unknown top-level section 'vigal'")]
    [InlineData("vigil {\n  persistence {\n    sqlite-wal = maybe\n  }\n}\n", "x.conf:3: vigil.persistence.sqlite-wal expects on or off, got 'maybe'")]
    public void Parse_WrongKeyOrValue_ErrorNamesLineAndProblem(string text, string expected)
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterConfigLoader.Parse(text, "x.conf"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Parse_SqliteWal_OnByDefaultAndSwitchable()
    {
        Assert.True(ClusterConfigLoader.Parse("vigil { }\n", "x.conf").Persistence.SqliteWal);
        Assert.False(ClusterConfigLoader.Parse("vigil.persistence.sqlite-wal = off\n", "x.conf").Persistence.SqliteWal);
    }

    [Fact]
    public void Parse_BrokenHocon_ErrorNamesFile()
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterConfigLoader.Parse("vigil { node { name = ", "x.conf"));
        Assert.StartsWith("x.conf", e.Message); // HOCON's own error or a checked value, always naming the file
        Assert.Contains("vigil", e.Message);
    }

    [Fact]
    public void Parse_EnvironmentVariables_OverrideKeysAndRejectUnknownOnes()
    {
        var env = new System.Collections.Hashtable { ["VIGIL_CLUSTER__NODE__NAME"] = "from-env", ["VIGIL_CLUSTER__BROKER__CONFIRM_WINDOW"] = "5", ["PATH"] = "/bin" };
        var c = ClusterConfigLoader.Parse("vigil {\n  node.name = a\n}\n", "x.conf", env);
        Assert.Equal("from-env", c.Node.Name);
        Assert.Equal(5, c.Broker.ConfirmWindow);
        var bad = new System.Collections.Hashtable { ["VIGIL_CLUSTER__BROKER__COLOUR"] = "red" };
        var e = Assert.Throws<ClusterConfigException>(() => ClusterConfigLoader.Parse("vigil { }\n", "x.conf", bad));
        Assert.StartsWith("environment variable VIGIL_CLUSTER__BROKER__COLOUR: unknown key 'colour' in vigil.broker", e.Message);
    }
}
