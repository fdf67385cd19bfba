namespace Vigil.Video.Backbone;

/// <summary>One top-level field of a protobuf message as it lies in the bytes.</summary>
/// <param name="Number">The field number.</param>
/// <param name="WireType">0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.</param>
/// <param name="Start">Offset of the field's tag.</param>
/// <param name="End">Offset just past the field.</param>
/// <param name="PayloadStart">Offset of a length-delimited payload (after its length); equals <paramref name="End"/> otherwise.</param>
internal readonly record struct ProtoField(int Number, int WireType, int Start, int End, int PayloadStart)
{
    /// <summary>The payload of a length-delimited field.</summary>
    public ReadOnlyMemory<byte> Payload(ReadOnlyMemory<byte> message) => message[PayloadStart..End];
}
