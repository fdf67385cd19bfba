namespace Vigil.Cli.Commands;

/// <summary><c>vigil boneage</c>.</summary>
internal static class BoneAgeCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("vigil boneage: not available yet in this build.");
        return Task.FromResult(2);
    }
}
