using Vigil.Cluster.Configuration;
using Vigil.Cluster.Inference;
using Vigil.Cluster.Node;
using Vigil.Cluster.Wire;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;
using Vigil.Tests.Common;

namespace Vigil.Cluster.Tests;

/// <summary>A real ONNX model (models/small-cnn.onnx) served through the broker by the ORT binding.</summary>
public sealed class OnnxServingTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static string ModelPath()
    {
        var path = Path.Combine(SharedData.RepositoryRoot, "models", "small-cnn.onnx");
        Assert.True(File.Exists(path), $"missing {path} (it is committed with the model catalog)");
        return path;
    }

    [Fact]
    public async Task InferAsync_SmallCnnOnNode_MatchesLocalRunAndRejectsWrongShape()
    {
        var config = ClusterConfigLoader.Parse($$"""
            vigil {
              node { name = onnx-node, port = {{TestCluster.FreePort()}}, roles = [inference] }
              models { cnn { capacity = 8, handler = onnx, path = "{{ModelPath()}}" } }
            }
            """);
        var node = await VigilNode.StartAsync(config, TextWriter.Null);
        var client = node.Inference;
        const string id = "cnn";
        using var local = OnnxSession.Load(ModelPath());
        try
        {
            var random = new Random(7);
            var images = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 3 * 32 * 32).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToList();
            var sent = images.Select(img => client.InferAsync(client.CreateRequest(id, "1", [WireTensor.FromFloats("image", [3, 32, 32], img)]))).ToList();
            var wrong = client.InferAsync(client.CreateRequest(id, "1", [WireTensor.FromFloats("image", [3, 16, 16], new float[3 * 16 * 16])], inputIdentity: "img-bad"));
            var results = await Task.WhenAll(sent).WaitAsync(Safety);
            for (int i = 0; i < images.Count; i++)
            {
                Assert.Equal(InferenceStatus.Ok, results[i].Status);
                using var expected = local.Run("image", DenseTensor<float>.Wrap(images[i], 1, 3, 32, 32));
                var want = expected.Get<float>("probabilities").ToArray();
                var got = Assert.Single(results[i].Outputs);
                Assert.Equal("probabilities", got.Name);
                Assert.Equal([1, 4], got.Shape);
                var values = got.ToFloats();
                for (int k = 0; k < 4; k++) Assert.Equal(want[k], values[k], 1e-5f);
            }
            Assert.Equal("5e02260a5cb38db2d4ee76310f145747440b06dab0a2c2bfd9a1bc37dcbbc24d", results[0].ModelSha256);
            var bad = await wrong.WaitAsync(Safety);
            Assert.Equal(InferenceStatus.Failed, bad.Status);
            Assert.Contains("input 'image' has shape [3,16,16]", bad.Error);
            Assert.Contains("img-bad", bad.Error);
        }
        finally { await node.LeaveAsync().WaitAsync(Safety); }
    }

    [Fact]
    public void Parse_OnnxHandlerWithoutPath_ErrorNamesModel()
    {
        var e = Assert.Throws<ClusterConfigException>(() =>
            ClusterConfigLoader.Parse("vigil {\n  node.roles = [inference]\n  models { cnn { handler = onnx } }\n}\n", "x.conf"));
        Assert.Contains("vigil.models.cnn has handler = onnx but no path", e.Message);
    }
}
