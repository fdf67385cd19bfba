namespace Vigil.Hosting;

/// <summary>
/// Vigil's settings, bound from the configuration section <c>"Vigil"</c> (appsettings.json,
/// environment variables such as <c>Vigil__StreamBufferSize</c>, command line) and validated when
/// the host starts. Defaults are stated on each property.
/// </summary>
public sealed class VigilOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Vigil";

    /// <summary>
    /// Name of the ActorSystem Vigil starts when the host has none (first element of actor paths).
    /// Default <c>"vigil"</c>. Read when <c>AddVigil</c> is called (Akka.Hosting fixes the name at
    /// registration): set it in code; a configured value must match or start-up fails.
    /// </summary>
    public string SystemName { get; set; } = "vigil";

    /// <summary>Largest input buffer of Vigil's stream stages (Akka's <c>max-input-buffer-size</c>, a power of two). Default 16.</summary>
    public int StreamBufferSize { get; set; } = 16;

    /// <summary>
    /// Whether a registered pipeline that fails while the host runs stops the whole application, so a
    /// supervisor restarts it instead of it running half-dead (one that ends without failing is only
    /// logged). Default true.
    /// </summary>
    public bool StopApplicationOnPipelineFailure { get; set; } = true;
}
