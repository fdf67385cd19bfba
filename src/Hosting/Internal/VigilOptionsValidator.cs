using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Vigil.Hosting.Internal;

/// <summary>Checks <see cref="VigilOptions"/> at start-up; each failure names the setting and its value.</summary>
internal sealed partial class VigilOptionsValidator(string registeredSystemName) : IValidateOptions<VigilOptions>
{
    // Akka's rule for ActorSystem names.
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]*$")]
    private static partial Regex SystemNamePattern();

    public ValidateOptionsResult Validate(string? name, VigilOptions options)
    {
        var failures = new List<string>();
        if (!SystemNamePattern().IsMatch(options.SystemName ?? ""))
            failures.Add($"{VigilOptions.SectionName}:{nameof(VigilOptions.SystemName)} is invalid ('{options.SystemName}'): an actor system name is letters, digits, '-' and '_'.");
        else if (!string.Equals(options.SystemName, registeredSystemName, StringComparison.Ordinal))
            failures.Add($"{VigilOptions.SectionName}:{nameof(VigilOptions.SystemName)} is '{options.SystemName}' but the ActorSystem was registered as '{registeredSystemName}': set it in AddVigil(o => o.SystemName = ...).");
        if (options.StreamBufferSize < 1 || (options.StreamBufferSize & (options.StreamBufferSize - 1)) != 0)
            failures.Add($"{VigilOptions.SectionName}:{nameof(VigilOptions.StreamBufferSize)} must be a power of two, at least 1 (was {options.StreamBufferSize}).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
