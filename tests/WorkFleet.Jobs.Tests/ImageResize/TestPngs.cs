using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace WorkFleet.Jobs.Tests.ImageResize;

/// <summary>
/// 2x2 PNGs written out byte by byte. All three hold the same pixels, (10,20,30) (40,60,90) /
/// (200,100,50) (255,255,0), with each scanline filter in turn. Their zlib streams use a stored
/// (uncompressed) block, so the filtered scanlines can be read in the arrays; the CRCs and Adler-32
/// sums were computed with Python's zlib module.
/// </summary>
internal static class TestPngs
{
    /// <summary>The pixels of every image: R, G, B, row by row.</summary>
    public static readonly byte[] Pixels = [10, 20, 30, 40, 60, 90, 200, 100, 50, 255, 255, 0];

    // 2x2 RGB, rows filtered None and Sub.
    public static readonly byte[] RgbNoneSub =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, // signature
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, // IHDR, 13 bytes
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, // width 2, height 2
        0x08, 0x02, 0x00, 0x00, 0x00, // bit depth 8, color type 2, compression 0, filter 0, interlace 0
        0xFD, 0xD4, 0x9A, 0x73, // CRC
        0x00, 0x00, 0x00, 0x19, 0x49, 0x44, 0x41, 0x54, // IDAT, 25 bytes
        0x78, 0x01, 0x01, 0x0E, 0x00, 0xF1, 0xFF, // zlib header, one stored (uncompressed) block of 14 bytes
        0x00, 0x0A, 0x14, 0x1E, 0x28, 0x3C, 0x5A, // filter 0, then the row's filtered bytes
        0x01, 0xC8, 0x64, 0x32, 0x37, 0x9B, 0xCE, // filter 1, then the row's filtered bytes
        0x13, 0x62, 0x03, 0xFA, // Adler-32 of the scanlines
        0xDE, 0xA8, 0x28, 0xEF, // CRC
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82, // IEND
    ];

    // 2x2 RGB, rows filtered Average and Up.
    public static readonly byte[] RgbAverageUp =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, // signature
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, // IHDR, 13 bytes
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, // width 2, height 2
        0x08, 0x02, 0x00, 0x00, 0x00, // bit depth 8, color type 2, compression 0, filter 0, interlace 0
        0xFD, 0xD4, 0x9A, 0x73, // CRC
        0x00, 0x00, 0x00, 0x19, 0x49, 0x44, 0x41, 0x54, // IDAT, 25 bytes
        0x78, 0x01, 0x01, 0x0E, 0x00, 0xF1, 0xFF, // zlib header, one stored (uncompressed) block of 14 bytes
        0x03, 0x0A, 0x14, 0x1E, 0x23, 0x32, 0x4B, // filter 3, then the row's filtered bytes
        0x02, 0xBE, 0x50, 0x14, 0xD7, 0xC3, 0xA6, // filter 2, then the row's filtered bytes
        0x13, 0x7F, 0x04, 0x44, // Adler-32 of the scanlines
        0x05, 0x65, 0x22, 0xFC, // CRC
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82, // IEND
    ];

    // 2x2 RGBA, both rows filtered Paeth; alpha 255, 128, 0, 255.
    public static readonly byte[] RgbaPaeth =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, // signature
        0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, // IHDR, 13 bytes
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, // width 2, height 2
        0x08, 0x06, 0x00, 0x00, 0x00, // bit depth 8, color type 6, compression 0, filter 0, interlace 0
        0x72, 0xB6, 0x0D, 0x24, // CRC
        0x00, 0x00, 0x00, 0x1D, 0x49, 0x44, 0x41, 0x54, // IDAT, 29 bytes
        0x78, 0x01, 0x01, 0x12, 0x00, 0xED, 0xFF, // zlib header, one stored (uncompressed) block of 18 bytes
        0x04, 0x0A, 0x14, 0x1E, 0xFF, 0x1E, 0x28, 0x3C, 0x81, // filter 4, then the row's filtered bytes
        0x04, 0xBE, 0x50, 0x14, 0x01, 0x37, 0x9B, 0xA6, 0xFF, // filter 4, then the row's filtered bytes
        0x2A, 0xB5, 0x05, 0xE1, // Adler-32 of the scanlines
        0xBC, 0xC3, 0x7D, 0x78, // CRC
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82, // IEND
    ];

    /// <summary>
    /// A valid all-black 8-bit RGB PNG of <paramref name="width"/> × <paramref name="height"/>: every scanline is
    /// filter 0 and zeros, deflated here, so a huge image is a small file (16,777,216 × 1 is about 50 KB).
    /// </summary>
    public static byte[] Black(uint width, uint height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[64 * 1024];
            long scanlines = height * (1 + (3L * width));
            for (long left = scanlines; left > 0; left -= zeros.Length)
            {
                zlib.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            }
        }

        using var png = new MemoryStream();
        png.Write(RgbNoneSub.AsSpan(0, 8)); // signature
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A copy of <paramref name="png"/> whose IHDR declares another size, with the IHDR CRC recomputed.</summary>
    public static byte[] WithSize(byte[] png, uint width, uint height)
    {
        byte[] copy = [.. png];
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc(copy.AsSpan(12, 17)));
        return copy;
    }

    /// <summary>The CRC-32 of a chunk's type and data, bit by bit as the PNG specification describes it.</summary>
    public static uint Crc(ReadOnlySpan<byte> typeAndData)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in typeAndData)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void WriteChunk(MemoryStream png, string type, byte[] data)
    {
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, (uint)data.Length);
        png.Write(number);
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc(typeAndData));
        png.Write(number);
    }
}
