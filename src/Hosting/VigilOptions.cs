namespace Vigil.Hosting;

/// <summary>
/// Vigil's settings, bound from the configuration section <c>"Vigil"</c> (appsettings.json,
/// environment variables such as <c>Vigil__MailboxCapacity</c>, command line) and validated when
/// the host starts. Defaults are stated on each property.
/// </summary>
public sealed class VigilOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Vigil";

    /// <summary>Name of the actor system (first element of actor paths). Default <c>"vigil"</c>.</summary>
    public string SystemName { get; set; } = "vigil";

    /// <summary>Default actor mailbox capacity (messages). Default 1000.</summary>
    public int MailboxCapacity { get; set; } = 1000;

    /// <summary>How many dead letters the actor system keeps for readers. Default 1000.</summary>
    public int DeadLetterCapacity { get; set; } = 1000;

    /// <summary>Default buffer size behind stream <c>Async()</c> boundaries and fan-out outputs. Default 64.</summary>
    public int StreamBufferSize { get; set; } = 64;

    /// <summary>
    /// Whether a registered pipeline that fails while the host runs stops the whole application, so a
    /// supervisor restarts it instead of it running half-dead (one that ends without failing is only
    /// logged). Default true.
    /// </summary>
    public bool StopApplicationOnPipelineFailure { get; set; } = true;
}
