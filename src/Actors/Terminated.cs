namespace Vigil.Actors;

/// <summary>
/// Death-watch notification: <paramref name="Actor"/>, which the receiver watched, has stopped
/// (gracefully, after a Stop decision, or after escalating a failure). Delivered once per watch,
/// also when the watched actor had already stopped when the watch began.
/// </summary>
/// <param name="Actor">The actor that stopped.</param>
public sealed record Terminated(IActorRef Actor);
