namespace Vigil.Cli.Benchmarks;

/// <summary><c>vigil bench models</c>: placeholder until the models owner replaces this file.</summary>
internal static class ModelsBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil bench models: not available yet in this build.");
        return Task.FromResult(2);
    }
}
