namespace Vigil.Models.Onnx.Protobuf;

/// <summary>One top-level field of a protobuf message as it lies in the bytes.</summary>
/// <param name="Number">The field number.</param>
/// <param name="WireType">0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.</param>
/// <param name="Start">Offset of the field's tag.</param>
/// <param name="End">Offset just past the field.</param>
/// <param name="PayloadStart">Offset of the payload: after the length of a length-delimited field, the value's first byte otherwise.</param>
public readonly record struct ProtoField(int Number, int WireType, int Start, int End, int PayloadStart)
{
    /// <summary>The payload: a length-delimited field's bytes, a varint's encoded bytes, a fixed field's 4 or 8 bytes.</summary>
    public ReadOnlyMemory<byte> Payload(ReadOnlyMemory<byte> message) => message[PayloadStart..End];
}
