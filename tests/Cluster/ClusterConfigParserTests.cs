using System.Collections;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Tests;

public sealed class ClusterConfigParserTests
{
    private const string Sample = """
        # a full example
        [broker]
        hosts = rabbit-a:5673, rabbit-b
        user = vigil
        password = secret
        vhost = /vigil
        request_queue_type = quorum

        [node]
        name = gpu-1
        roles = serve, shard

        [model bone-age]
        version = 3
        capacity = 8
        delay = 20ms

        [model echo]
        handler = echo
        queue_type = classic

        [timeouts]
        request = 2s
        heartbeat = 500ms

        [client]
        max_in_flight = 64
        """;

    [Fact]
    public void Parse_FullExample_ReadsEverySection()
    {
        var c = ClusterConfigParser.Parse(Sample, "cluster.conf", new Hashtable());
        Assert.Equal([new BrokerEndpoint("rabbit-a", 5673), new BrokerEndpoint("rabbit-b", 5672)], c.Broker.Hosts);
        Assert.Equal("vigil", c.Broker.User);
        Assert.Equal("/vigil", c.Broker.VirtualHost);
        Assert.Equal("gpu-1", c.Node.Name);
        Assert.Equal(["serve", "shard"], c.Node.Roles);
        Assert.Equal(2, c.Models.Count);
        Assert.Equal(("bone-age", "3", 8, TimeSpan.FromMilliseconds(20)), (c.Models[0].Id, c.Models[0].Version, c.Models[0].Capacity, c.Models[0].Delay));
        Assert.Equal(TimeSpan.FromSeconds(2), c.Timeouts.Request);
        Assert.Equal(TimeSpan.FromMilliseconds(500), c.Timeouts.Heartbeat);
        Assert.Equal(64, c.Client.MaxInFlight);
        Assert.Equal((QueueTypes.Quorum, QueueTypes.Classic), (c.QueueTypeOf(c.Models[0]), c.QueueTypeOf(c.Models[1])));
    }

    [Fact]
    public void Parse_NoQueueType_RequestQueuesAreClassic()
    {
        var c = ClusterConfigParser.Parse("[model m]\n", "x.conf", new Hashtable());
        Assert.Equal(QueueTypes.Classic, c.QueueTypeOf(c.Models[0]));
    }

    [Fact]
    public void Parse_UnknownKey_ErrorNamesLineAndKey()
    {
        var e = Assert.Throws<ClusterConfigException>(() =>
            ClusterConfigParser.Parse("[node]\nname = a\ncolour = blue\n", "x.conf", new Hashtable()));
        Assert.Contains("x.conf:3", e.Message);
        Assert.Contains("unknown key 'colour'", e.Message);
    }

    [Fact]
    public void Parse_WrongType_ErrorNamesLineAndExpectedType()
    {
        var e = Assert.Throws<ClusterConfigException>(() =>
            ClusterConfigParser.Parse("[node]\nroles = shard\n[model m]\ncapacity = lots\n", "x.conf", new Hashtable()));
        Assert.Contains("x.conf:4", e.Message);
        Assert.Contains("positive integer", e.Message);
        Assert.Contains("'lots'", e.Message);
    }

    [Theory]
    [InlineData("[timeouts]\nrequest = 5\n", "x.conf:2", "duration")]
    [InlineData("[bogus]\n", "x.conf:1", "unknown section")]
    [InlineData("[node]\nroles = serve, cook\n", "x.conf:2", "unknown role 'cook'")]
    [InlineData("[broker]\nhosts = h:99999\n", "x.conf:2", "host[:port]")]
    [InlineData("name = a\n", "x.conf:1", "before any [section]")]
    [InlineData("[node]\nname = a\nname = b\n", "x.conf:3", "already set on line 2")]
    [InlineData("[node]\nroles = serve\n", "x.conf", "no [model NAME] section")]
    [InlineData("[broker]\nrequest_queue_type = stream\n", "x.conf:2", "unknown queue type 'stream'; types are classic, quorum")]
    [InlineData("[model m]\nqueue_type = lazy\n", "x.conf:2", "unknown queue type 'lazy'")]
    public void Parse_BadInput_ErrorNamesWhereAndWhat(string text, string where, string what)
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterConfigParser.Parse(text, "x.conf", new Hashtable()));
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Parse_EnvironmentVariables_OverrideFileValues()
    {
        var env = new Hashtable
        {
            ["VIGIL_CLUSTER__NODE__NAME"] = "from-env",
            ["VIGIL_CLUSTER__MODEL_BONE_AGE__CAPACITY"] = "32",
            ["VIGIL_CLUSTER__TIMEOUTS__REQUEST"] = "750ms",
            ["UNRELATED"] = "x",
        };
        var c = ClusterConfigParser.Parse(Sample, "cluster.conf", env);
        Assert.Equal("from-env", c.Node.Name);
        Assert.Equal(32, c.Models[0].Capacity);
        Assert.Equal(TimeSpan.FromMilliseconds(750), c.Timeouts.Request);
    }

    [Theory]
    [InlineData("VIGIL_CLUSTER__NODE__COLOUR", "x", "unknown key 'colour'")]
    [InlineData("VIGIL_CLUSTER__MODEL_NOPE__CAPACITY", "3", "no section matches 'MODEL_NOPE'")]
    [InlineData("VIGIL_CLUSTER__CLIENT__CHANNELS", "-1", "positive integer")]
    [InlineData("VIGIL_CLUSTER__NODE", "x", "SECTION__KEY")]
    public void Parse_BadEnvironmentVariable_ErrorNamesVariable(string name, string value, string what)
    {
        var e = Assert.Throws<ClusterConfigException>(() =>
            ClusterConfigParser.Parse(Sample, "cluster.conf", new Hashtable { [name] = value }));
        Assert.Contains($"environment variable {name}", e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void Load_RepositoryClusterConf_Parses()
    {
        var path = Path.Combine(Vigil.Tests.Common.SharedData.RepositoryRoot, "cluster.conf");
        var c = ClusterConfigParser.Load(path, new Hashtable());
        Assert.NotEmpty(c.Broker.Hosts);
        Assert.NotEmpty(c.Models);
    }
}
