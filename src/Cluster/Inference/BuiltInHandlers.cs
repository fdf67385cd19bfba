using System.Security.Cryptography;
using System.Text;
using Vigil.Cluster.Configuration;

namespace Vigil.Cluster.Inference;

/// <summary>Creates the handler a <c>[model NAME]</c> section asks for (built-in test models or ONNX).</summary>
public static class BuiltInHandlers
{
    /// <summary>The handler for <paramref name="model"/>; throws for an unknown handler name.</summary>
    public static IInferenceHandler Create(ModelServing model) => model.Handler switch
    {
        "echo" => new EchoHandler(model.Delay),
        "sum" => new SumHandler(model.Delay),
        "onnx" => new OnnxHandler(model.Id, ResolvePath(model.Path)),
        _ => throw new ClusterConfigException($"model '{model.Id}': unknown handler '{model.Handler}'"),
    };

    /// <summary>An absolute path: relative ones resolve against VIGIL_HOME when set, else the working directory.</summary>
    public static string ResolvePath(string path) =>
        System.IO.Path.IsPathRooted(path) ? path
        : System.IO.Path.GetFullPath(path, Environment.GetEnvironmentVariable("VIGIL_HOME") is { Length: > 0 } home ? home : Environment.CurrentDirectory);

    /// <summary>Hex sha256 of a text (identity of a built-in model).</summary>
    public static string Sha256Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
