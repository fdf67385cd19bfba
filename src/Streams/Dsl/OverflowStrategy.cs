namespace Vigil.Streams;

/// <summary>What a <c>Buffer</c> does when an element arrives and it is full.</summary>
public enum OverflowStrategy
{
    /// <summary>Stop pulling upstream until there is space (nothing is dropped).</summary>
    Backpressure,
    /// <summary>Discard the oldest buffered element to make room (counted as dropped).</summary>
    DropOldest,
    /// <summary>Discard the arriving element, keeping what is buffered (counted as dropped).</summary>
    DropNewest,
    /// <summary>Fail the stream with a <see cref="BufferOverflowException"/>.</summary>
    Fail,
}
