using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace WorkFleet.Jobs.Tensors;

/// <summary>
/// Tensors in the safetensors layout, float32 only: an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON <c>{"name":{"dtype":"F32","shape":[..],"data_offsets":[start,end]},...,"__metadata__":{"key":"value"}}</c>
/// (offsets relative to the data section, which the tensors must cover exactly, without gaps or overlap),
/// then the raw little-endian data. Files written here can be read by the <c>safetensors</c> Python package.
/// </summary>
public sealed class SafeTensorsFile
{
    /// <summary>Largest header accepted, in bytes (the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private static readonly string[] OtherDTypes = ["F64", "F16", "BF16", "F8_E4M3", "F8_E5M2", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL"];

    private readonly Dictionary<string, SafeTensor> _byName;

    /// <summary>Creates a file's content.</summary>
    /// <param name="tensors">The tensors, in the order they are written; names must be unique.</param>
    /// <param name="metadata">Free-form string pairs stored under <c>__metadata__</c>; optional.</param>
    /// <exception cref="ArgumentException">Two tensors share a name, or a tensor is named <c>__metadata__</c>.</exception>
    public SafeTensorsFile(IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Tensors = [.. tensors];
        _byName = new Dictionary<string, SafeTensor>(StringComparer.Ordinal);
        foreach (SafeTensor tensor in Tensors)
        {
            if (tensor.Name == MetadataKey || !_byName.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"Tensor name '{tensor.Name}' is reserved or used twice.", nameof(tensors));
            }
        }

        Metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
    }

    /// <summary>The tensors, in file order.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> pairs; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Finds a tensor by name.</summary>
    /// <param name="name">The tensor's name, matched exactly.</param>
    /// <param name="tensor">The tensor when found.</param>
    /// <returns><c>true</c> when the file has the tensor.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out SafeTensor? tensor) => _byName.TryGetValue(name, out tensor);

    /// <summary>Reads a whole safetensors stream, validating the header against the data.</summary>
    /// <param name="stream">The file's bytes from the start.</param>
    /// <param name="source">Names the file in error messages, e.g. its path.</param>
    /// <returns>The tensors and metadata.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid float32 safetensors file; the message says why.</exception>
    public static SafeTensorsFile Read(Stream stream, string source = "safetensors")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), source);
    }

    /// <summary>Reads safetensors bytes, validating the header against the data.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="source">Names the file in error messages, e.g. its path.</param>
    /// <returns>The tensors and metadata.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid float32 safetensors file; the message says why.</exception>
    public static SafeTensorsFile Read(ReadOnlySpan<byte> bytes, string source = "safetensors")
    {
        if (bytes.Length < 8)
        {
            throw Invalid(source, $"the file has {bytes.Length} bytes, fewer than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw Invalid(source, $"the header length is {headerLength} bytes but the file has {bytes.Length - 8} bytes after it (at most {MaxHeaderBytes} allowed)");
        }

        ReadOnlySpan<byte> header = bytes.Slice(8, (int)headerLength);
        ReadOnlySpan<byte> data = bytes[(8 + (int)headerLength)..];
        var entries = new List<(string Name, int[] Shape, long Start, long End)>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray());
        }
        catch (JsonException exception)
        {
            throw Invalid(source, $"the header is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, $"the header must be a JSON object but is {document.RootElement.ValueKind}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Invalid(source, $"'{property.Name}' appears twice in the header");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source);
                }
                else
                {
                    entries.Add(ReadEntry(property, data.Length, source));
                }
            }
        }

        CheckCoverage(entries, data.Length, source);
        var tensors = new List<SafeTensor>(entries.Count);
        foreach ((string name, int[] shape, long start, long end) in entries.OrderBy(entry => entry.Start))
        {
            tensors.Add(new SafeTensor(name, shape, ReadFloats(data[(int)start..(int)end])));
        }

        return new SafeTensorsFile(tensors, metadata);
    }

    /// <summary>Writes the tensors in order, with the header padded by spaces to a multiple of 8 bytes.</summary>
    /// <param name="stream">Where to write.</param>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = BuildHeader();
        int padding = (8 - (header.Length % 8)) % 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(header.Length + padding));
        stream.Write(length);
        stream.Write(header);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        byte[] chunk = new byte[4096];
        foreach (SafeTensor tensor in Tensors)
        {
            ReadOnlySpan<float> values = tensor.Data.Span;
            for (int start = 0; start < values.Length; start += chunk.Length / 4)
            {
                int count = Math.Min(chunk.Length / 4, values.Length - start);
                for (int i = 0; i < count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * 4), values[start + i]);
                }

                stream.Write(chunk, 0, count * 4);
            }
        }
    }

    private byte[] BuildHeader()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Metadata.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach ((string key, string value) in Metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (SafeTensor tensor in Tensors)
            {
                long end = offset + (4L * tensor.Data.Length);
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"'{MetadataKey}' must be an object of strings but is {element.ValueKind}");
        }

        foreach (JsonProperty pair in element.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"'{MetadataKey}.{pair.Name}' must be a string but is {pair.Value.ValueKind}");
            }

            metadata[pair.Name] = pair.Value.GetString()!;
        }
    }

    private static (string Name, int[] Shape, long Start, long End) ReadEntry(JsonProperty property, int dataLength, string source)
    {
        string name = property.Name;
        JsonElement entry = property.Value;
        if (name.Length == 0)
        {
            throw Invalid(source, "a tensor has an empty name");
        }

        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"tensor '{name}' must be an object with dtype, shape and data_offsets but is {entry.ValueKind}");
        }

        string dtype = entry.TryGetProperty("dtype", out JsonElement dtypeElement) && dtypeElement.ValueKind == JsonValueKind.String
            ? dtypeElement.GetString()!
            : throw Invalid(source, $"tensor '{name}' has no string 'dtype'");
        if (dtype != "F32")
        {
            throw Invalid(source, OtherDTypes.Contains(dtype, StringComparer.Ordinal)
                ? $"tensor '{name}' has dtype {dtype}; only F32 is supported"
                : $"tensor '{name}' has unknown dtype '{dtype}'");
        }

        int[] shape = ReadIntegers(entry, "shape", name, source)
            .Select(dimension => dimension is >= 0 and <= int.MaxValue
                ? (int)dimension
                : throw Invalid(source, $"tensor '{name}' has dimension {dimension} in its shape"))
            .ToArray();
        long[] offsets = ReadIntegers(entry, "data_offsets", name, source);
        if (offsets.Length != 2)
        {
            throw Invalid(source, $"tensor '{name}' must have data_offsets [start, end] but has {offsets.Length} values");
        }

        (long start, long end) = (offsets[0], offsets[1]);
        if (start < 0 || end < start || end > dataLength)
        {
            throw Invalid(source, $"tensor '{name}' has data_offsets [{start}, {end}] outside the {dataLength}-byte data section");
        }

        long elements = 1;
        foreach (int dimension in shape)
        {
            elements = elements * dimension > int.MaxValue
                ? throw Invalid(source, $"tensor '{name}' has shape [{string.Join(", ", shape)}], too large")
                : elements * dimension;
        }

        if (end - start != elements * 4)
        {
            throw Invalid(source,
                $"tensor '{name}' has shape [{string.Join(", ", shape)}] ({elements * 4} bytes of F32) but data_offsets [{start}, {end}] span {end - start} bytes");
        }

        return (name, shape, start, end);
    }

    private static long[] ReadIntegers(JsonElement entry, string field, string name, string source)
    {
        if (!entry.TryGetProperty(field, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, $"tensor '{name}' has no '{field}' array");
        }

        return [.. array.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number)
            ? number
            : throw Invalid(source, $"tensor '{name}' has a non-integer value in '{field}'"))];
    }

    private static void CheckCoverage(List<(string Name, int[] Shape, long Start, long End)> entries, int dataLength, string source)
    {
        long expectedStart = 0;
        string previous = "the start of the data";
        foreach ((string name, _, long start, long end) in entries.OrderBy(entry => entry.Start).ThenBy(entry => entry.End))
        {
            if (start < expectedStart)
            {
                throw Invalid(source, $"tensor '{name}' (bytes {start}..{end}) overlaps {previous}");
            }

            if (start > expectedStart)
            {
                throw Invalid(source, $"bytes {expectedStart}..{start} of the data, before tensor '{name}', belong to no tensor");
            }

            expectedStart = end;
            previous = $"tensor '{name}'";
        }

        if (expectedStart != dataLength)
        {
            throw Invalid(source, $"bytes {expectedStart}..{dataLength} at the end of the data belong to no tensor");
        }
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4, 4));
        }

        return values;
    }

    private static InvalidDataException Invalid(string source, string problem) => new($"{source}: {problem}.");
}
