using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace WorkFleet.Jobs.BuiltIn.Onnx.Export;

/// <summary>
/// Writes one protocol buffers message in the wire format (varints, length-delimited fields), enough for
/// the ONNX schema: no reflection, no generated code. Fields are written in the order they are added;
/// a nested message is another writer, copied in with its length.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;
    private const int Fixed32WireType = 5;

    private readonly ArrayBufferWriter<byte> _bytes = new();

    /// <summary>Writes an <c>int64</c> or <c>int32</c> field (negative values take ten bytes, as protobuf does).</summary>
    public ProtoWriter Int64(int field, long value)
    {
        Tag(field, VarintWireType);
        Varint(unchecked((ulong)value));
        return this;
    }

    /// <summary>Writes a <c>float</c> field.</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32WireType);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _bytes.Write(bytes);
        return this;
    }

    /// <summary>Writes a <c>string</c> field as UTF-8.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Writes a <c>bytes</c> field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedWireType);
        Varint((ulong)value.Length);
        _bytes.Write(value);
        return this;
    }

    /// <summary>Writes a nested message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    /// <summary>The message's bytes so far.</summary>
    public byte[] ToArray() => _bytes.WrittenSpan.ToArray();

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Write([(byte)(value | 0x80)]);
            value >>= 7;
        }

        _bytes.Write([(byte)value]);
    }
}
