using Microsoft.Extensions.Options;
using Vigil.Actors;

namespace Vigil.Hosting.Internal;

/// <summary>Checks <see cref="VigilOptions"/> at start-up; each failure names the setting and its value.</summary>
internal sealed class VigilOptionsValidator : IValidateOptions<VigilOptions>
{
    public ValidateOptionsResult Validate(string? name, VigilOptions options)
    {
        var failures = new List<string>();
        try
        {
            ActorPath.Root(options.SystemName ?? "");
        }
        catch (ArgumentException ex)
        {
            failures.Add($"{VigilOptions.SectionName}:{nameof(VigilOptions.SystemName)} is invalid ('{options.SystemName}'): {ex.Message}");
        }
        Positive(failures, nameof(VigilOptions.MailboxCapacity), options.MailboxCapacity);
        Positive(failures, nameof(VigilOptions.DeadLetterCapacity), options.DeadLetterCapacity);
        Positive(failures, nameof(VigilOptions.StreamBufferSize), options.StreamBufferSize);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, int value)
    {
        if (value < 1) failures.Add($"{VigilOptions.SectionName}:{setting} must be at least 1 (was {value}).");
    }
}
