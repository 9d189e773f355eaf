using System.Buffers.Binary;
using System.Text;
using WorkFleet.Jobs.BuiltIn.ImageResize;

namespace WorkFleet.Jobs.Tests.ImageResize;

/// <summary>The PNG decoder on the hand-made 2x2 images of <see cref="TestPngs"/>.</summary>
public class PngDecoderTests
{
    [Fact]
    public void Decode_NoneAndSubFilters_ReturnsThePixels() => AssertPixels(PngDecoder.Decode(TestPngs.RgbNoneSub, 100, 100));

    [Fact]
    public void Decode_AverageAndUpFilters_ReturnsThePixels() => AssertPixels(PngDecoder.Decode(TestPngs.RgbAverageUp, 100, 100));

    [Fact]
    public void Decode_RgbaWithPaethFilter_ReturnsThePixelsWithoutAlpha() => AssertPixels(PngDecoder.Decode(TestPngs.RgbaPaeth, 100, 100));

    [Theory]
    [InlineData(8, 0, 0, "grayscale (color type 0) with 8 bits per sample; only 8-bit RGB (color type 2) and RGBA (color type 6) are supported")]
    [InlineData(8, 3, 0, "palette (color type 3)")]
    [InlineData(16, 2, 0, "RGB (color type 2) with 16 bits per sample")]
    [InlineData(8, 2, 1, "Adam7-interlaced")]
    public void Decode_UnsupportedKind_ThrowsSayingWhatItIs(byte bitDepth, byte colorType, byte interlace, string expected)
    {
        byte[] png = WithHeader(TestPngs.RgbNoneSub, bitDepth, colorType, interlace);

        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, 100, 100));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_CorruptedByte_ThrowsWrongCrcNamingTheChunk()
    {
        byte[] png = [.. TestPngs.RgbNoneSub];
        png[50] ^= 0xFF;

        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, 100, 100));

        Assert.Contains("the PNG chunk 'IDAT' at byte 33 has a wrong CRC", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedFile_Throws()
    {
        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(TestPngs.RgbNoneSub.AsSpan(0, 60), 100, 100));

        Assert.Contains("past the end of the file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NotAPng_Throws()
    {
        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(Encoding.ASCII.GetBytes("GIF89a........"), 100, 100));

        Assert.Contains("not a PNG file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MorePixelsThanAllowed_Throws()
    {
        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(TestPngs.RgbNoneSub, 100, 3));

        Assert.Contains("the PNG is 2x2; images must have 1 to 3 pixels", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16_777_216u, 1u, "the PNG is 16777216x1: 16777216 pixels wide but at most 8192 are allowed")]
    [InlineData(1u, 16_777_216u, "the PNG is 1x16777216: 16777216 pixels tall but at most 8192 are allowed")]
    [InlineData(8193u, 8193u, "8193 pixels wide but at most 8192")]
    public void Decode_SideOverTheLimit_ThrowsFromTheHeaderBeforeInflating(uint width, uint height, string expected)
    {
        // Only the header changes: its 14 bytes of image data could never fill such a size, so a message about
        // the side (not about missing image data) shows the header was refused before the pixels were read.
        byte[] png = TestPngs.WithSize(TestPngs.RgbNoneSub, width, height);

        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, 8192, 16_777_216));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_SidesWithinTheLimitButTooManyPixels_ThrowsThePixelLimit()
    {
        byte[] png = TestPngs.WithSize(TestPngs.RgbNoneSub, 8192, 2049);

        var exception = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png, 8192, 16_777_216));

        Assert.Contains("the PNG is 8192x2049; images must have 1 to 16777216 pixels", exception.Message, StringComparison.Ordinal);
    }

    private static void AssertPixels(RgbImage image)
    {
        Assert.Equal(2, image.Width);
        Assert.Equal(2, image.Height);
        Assert.Equal(TestPngs.Pixels, image.Pixels);
    }

    /// <summary>A copy with other IHDR fields and the IHDR CRC recomputed (bit by bit, per the PNG specification).</summary>
    private static byte[] WithHeader(byte[] png, byte bitDepth, byte colorType, byte interlace)
    {
        byte[] copy = [.. png];
        copy[24] = bitDepth;
        copy[25] = colorType;
        copy[28] = interlace;
        uint crc = 0xFFFFFFFF;
        foreach (byte value in copy.AsSpan(12, 17))
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), ~crc);
        return copy;
    }
}
