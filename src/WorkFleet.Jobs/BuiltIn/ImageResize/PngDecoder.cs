using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// Decodes the PNGs <c>preprocess.resize</c> accepts: non-interlaced, 8 bits per channel, color type 2 (RGB)
/// or 6 (RGBA, alpha dropped), with every scanline filter (None, Sub, Up, Average, Paeth). Chunk CRCs are
/// checked; ancillary chunks are skipped; anything else is rejected with a message saying what it is.
/// </summary>
internal static class PngDecoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes <paramref name="png"/>.</summary>
    /// <param name="png">The file's bytes.</param>
    /// <param name="maxSide">Largest width and largest height accepted.</param>
    /// <param name="maxPixels">Largest width × height accepted.</param>
    /// <exception cref="InvalidDataException">Not a PNG, a corrupt one, one over the limits (checked on its header,
    /// before any pixel is inflated), or a kind this decoder does not support.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> png, int maxSide, long maxPixels)
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG file (the 8-byte PNG signature is missing)");
        }

        int position = Signature.Length;
        Header? header = null;
        using var compressed = new MemoryStream();
        bool ended = false;
        while (!ended)
        {
            if (png.Length - position < 12)
            {
                throw new InvalidDataException("the PNG ends before its IEND chunk");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[position..]);
            if (length > int.MaxValue || length > (uint)(png.Length - position - 12))
            {
                throw new InvalidDataException($"a PNG chunk at byte {position} claims {length} bytes, past the end of the file");
            }

            ReadOnlySpan<byte> type = png.Slice(position + 4, 4);
            ReadOnlySpan<byte> data = png.Slice(position + 8, (int)length);
            string name = Encoding.ASCII.GetString(type);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png[(position + 8 + (int)length)..]);
            if (Crc32.Compute(type, data) != storedCrc)
            {
                throw new InvalidDataException($"the PNG chunk '{name}' at byte {position} has a wrong CRC (the file is corrupt)");
            }

            position += 12 + (int)length;
            switch (name)
            {
                case "IHDR" when header is null:
                    header = ReadHeader(data, maxSide, maxPixels);
                    break;
                case "IHDR":
                    throw new InvalidDataException("the PNG has more than one IHDR chunk");
                case "IDAT" when header is not null:
                    compressed.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                case "PLTE":
                    // A suggested palette for RGB(A) images; the pixels do not use it.
                    break;
                default:
                    if (header is null)
                    {
                        throw new InvalidDataException($"the PNG's first chunk must be IHDR but is '{name}'");
                    }

                    if (char.IsAsciiLetterUpper(name[0]))
                    {
                        throw new InvalidDataException($"the PNG has the critical chunk '{name}', which this decoder does not support");
                    }

                    break;
            }
        }

        if (header is null || compressed.Length == 0)
        {
            throw new InvalidDataException("the PNG has no image data (IHDR or IDAT missing)");
        }

        return Unfilter(header, Inflate(compressed, header));
    }

    private static Header ReadHeader(ReadOnlySpan<byte> data, int maxSide, long maxPixels)
    {
        if (data.Length != 13)
        {
            throw new InvalidDataException($"the PNG's IHDR chunk has {data.Length} bytes instead of 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        (byte bitDepth, byte colorType, byte compression, byte filter, byte interlace) = (data[8], data[9], data[10], data[11], data[12]);
        if (width > maxSide)
        {
            throw new InvalidDataException($"the PNG is {width}x{height}: {width} pixels wide but at most {maxSide} are allowed");
        }

        if (height > maxSide)
        {
            throw new InvalidDataException($"the PNG is {width}x{height}: {height} pixels tall but at most {maxSide} are allowed");
        }

        if (width == 0 || height == 0 || (long)width * height > maxPixels)
        {
            throw new InvalidDataException($"the PNG is {width}x{height}; images must have 1 to {maxPixels} pixels");
        }

        if (colorType is not (2 or 6) || bitDepth != 8)
        {
            string kind = colorType switch
            {
                0 => "grayscale",
                2 => "RGB",
                3 => "palette",
                4 => "grayscale with alpha",
                6 => "RGBA",
                _ => "unknown",
            };
            throw new InvalidDataException(
                $"the PNG is {kind} (color type {colorType}) with {bitDepth} bits per sample; only 8-bit RGB (color type 2) and RGBA (color type 6) are supported");
        }

        if (compression != 0 || filter != 0)
        {
            throw new InvalidDataException($"the PNG uses compression method {compression} and filter method {filter}; only 0 and 0 exist");
        }

        if (interlace != 0)
        {
            throw new InvalidDataException("the PNG is Adam7-interlaced; only non-interlaced PNGs are supported");
        }

        return new Header((int)width, (int)height, colorType == 6 ? 4 : 3);
    }

    private static byte[] Inflate(MemoryStream compressed, Header header)
    {
        long expected = (long)header.Height * (1 + ((long)header.Width * header.BytesPerPixel));
        var raw = new byte[expected];
        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        int read = 0;
        int count;
        do
        {
            try
            {
                count = inflater.Read(raw, read, raw.Length - read);
            }
            catch (InvalidDataException exception)
            {
                throw new InvalidDataException($"the PNG's image data is not a valid zlib stream: {exception.Message}", exception);
            }

            read += count;
        }
        while (count > 0 && read < raw.Length);

        return read == raw.Length
            ? raw
            : throw new InvalidDataException($"the PNG's image data has {read} bytes but a {header.Width}x{header.Height} image needs {expected}");
    }

    private static RgbImage Unfilter(Header header, byte[] raw)
    {
        int bpp = header.BytesPerPixel;
        int stride = header.Width * bpp;
        var previous = new byte[stride];
        var current = new byte[stride];
        var pixels = new byte[header.Width * header.Height * 3];
        for (int y = 0; y < header.Height; y++)
        {
            int offset = y * (stride + 1);
            byte filter = raw[offset];
            raw.AsSpan(offset + 1, stride).CopyTo(current);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= bpp ? current[i - bpp] : 0;
                int up = previous[i];
                int upLeft = i >= bpp ? previous[i - bpp] : 0;
                current[i] += filter switch
                {
                    0 => 0,
                    1 => (byte)left,
                    2 => (byte)up,
                    3 => (byte)((left + up) / 2),
                    4 => (byte)Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG row {y} has filter type {filter}; only 0 to 4 exist"),
                };
            }

            for (int x = 0; x < header.Width; x++)
            {
                current.AsSpan(x * bpp, 3).CopyTo(pixels.AsSpan(((y * header.Width) + x) * 3));
            }

            (previous, current) = (current, previous);
        }

        return new RgbImage(header.Width, header.Height, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private sealed record Header(int Width, int Height, int BytesPerPixel);
}
