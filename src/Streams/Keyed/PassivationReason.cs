namespace Vigil.Streams.Keyed;

/// <summary>Why a key's state was released by a <see cref="PerKeyStage{TIn, TKey, TState, TOut}"/>.</summary>
public enum PassivationReason
{
    /// <summary>The key was silent for the idle timeout.</summary>
    Idle,

    /// <summary>A new key arrived while <see cref="PerKeySettings.MaxKeys"/> keys were live; this was the least recently active.</summary>
    Evicted,

    /// <summary>The step failed under <c>Restart</c> supervision; the key starts afresh on its next element.</summary>
    Restarted,

    /// <summary>The stream completed, failed or was cancelled.</summary>
    StreamEnded,
}
