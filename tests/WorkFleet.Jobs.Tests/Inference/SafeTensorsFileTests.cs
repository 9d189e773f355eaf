using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using WorkFleet.Jobs.Tensors;

namespace WorkFleet.Jobs.Tests.Inference;

/// <summary>The safetensors reader and writer against files assembled byte by byte in the test.</summary>
public class SafeTensorsFileTests
{
    [Fact]
    public void Read_HandAssembledFile_ReturnsTensorsInOffsetOrderAndMetadata()
    {
        // "b" is stored first in the data although the header lists "a" first.
        byte[] file = Assemble(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[12,20]},"b":{"dtype":"F32","shape":[3,1],"data_offsets":[0,12]},"__metadata__":{"k":"v"}}""",
            [1f, 2f, 3f, -0.5f, 4.25f]);

        SafeTensorsFile read = SafeTensorsFile.Read(file);

        Assert.Equal(["b", "a"], read.Tensors.Select(tensor => tensor.Name));
        Assert.True(read.TryGet("b", out SafeTensor? b));
        Assert.Equal([3, 1], b.Shape);
        Assert.Equal([1f, 2f, 3f], b.Data.ToArray());
        Assert.True(read.TryGet("a", out SafeTensor? a));
        Assert.Equal([-0.5f, 4.25f], a.Data.ToArray());
        Assert.Equal("v", read.Metadata["k"]);
    }

    [Fact]
    public void Write_TwoTensors_ProducesSpecLayoutWithAlignedHeader()
    {
        var file = new SafeTensorsFile(
            [new SafeTensor("w", [2, 2], new[] { 1f, 2f, 3f, 4f }), new SafeTensor("bias", [1], new[] { 0.5f })],
            new Dictionary<string, string> { ["format"] = "test" });

        using var stream = new MemoryStream();
        file.Write(stream);
        byte[] bytes = stream.ToArray();

        // Parsed here by hand: length, JSON, little-endian floats.
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, (8 + headerLength) % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' '));
        JsonElement w = header.RootElement.GetProperty("w");
        Assert.Equal("F32", w.GetProperty("dtype").GetString());
        Assert.Equal([2, 2], w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([0L, 16L], w.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal([16L, 20L], header.RootElement.GetProperty("bias").GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("test", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        int data = 8 + (int)headerLength;
        Assert.Equal(data + 20, bytes.Length);
        Assert.Equal(3f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + 8)));
        Assert.Equal(0.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(data + 16)));
    }

    [Fact]
    public void WriteThenRead_RoundTripsEveryValue()
    {
        float[] values = [float.Epsilon, -0f, 1e30f, -123.456f, 7f, 0.1f];
        var original = new SafeTensorsFile([new SafeTensor("t", [3, 2], values), new SafeTensor("empty", [0, 4], Array.Empty<float>())]);
        using var stream = new MemoryStream();
        original.Write(stream);
        stream.Position = 0;

        SafeTensorsFile read = SafeTensorsFile.Read(stream);

        Assert.True(read.TryGet("t", out SafeTensor? t));
        Assert.Equal(values, t.Data.ToArray());
        Assert.True(read.TryGet("empty", out SafeTensor? empty));
        Assert.Equal([0, 4], empty.Shape);
        Assert.Empty(read.Metadata);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}""", "tensor 'a' has dtype F16; only F32 is supported")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}""", "tensor 'a' has unknown dtype 'Q4'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "tensor 'a' has shape [3] (12 bytes of F32) but data_offsets [0, 8] span 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "tensor 'a' has data_offsets [0, 16] outside the 8-byte data section")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "bytes 0..4 of the data, before tensor 'a', belong to no tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "bytes 4..8 at the end of the data belong to no tensor")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "tensor 'b' (bytes 4..8) overlaps tensor 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "tensor 'a' has dimension -2 in its shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2]}}""", "tensor 'a' has no 'data_offsets' array")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"n":1}}""", "'__metadata__.n' must be a string but is Number")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "'a' appears twice in the header")]
    [InlineData("""[1,2]""", "the header must be a JSON object but is Array")]
    [InlineData("""{"a":""", "the header is not valid JSON")]
    public void Read_InvalidHeader_ThrowsInvalidDataExceptionSayingWhy(string header, string expected)
    {
        byte[] file = Assemble(header, [1f, 2f]);

        var exception = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(file, "m.safetensors"));

        Assert.StartsWith("m.safetensors: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderLengthPastEndOfFile_ThrowsNamingBothLengths()
    {
        byte[] file = new byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);

        var exception = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(file));

        Assert.Contains("the header length is 1000 bytes but the file has 12 bytes after it", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FewerThanEightBytes_Throws()
    {
        var exception = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(new byte[] { 1, 2, 3 }));

        Assert.Contains("fewer than the 8-byte header length", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SafeTensorsFile(
            [new SafeTensor("t", [1], new[] { 1f }), new SafeTensor("t", [1], new[] { 2f })]));
    }

    [Fact]
    public void SafeTensor_DataNotMatchingShape_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new SafeTensor("t", [2, 3], new float[5]));

        Assert.Contains("shape [2, 3] (6 elements) but 5 values", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>8-byte little-endian header length, the header as UTF-8, the values as little-endian float32.</summary>
    private static byte[] Assemble(string header, float[] values)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + (4 * values.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(8 + json.Length + (4 * i)), values[i]);
        }

        return file;
    }
}
