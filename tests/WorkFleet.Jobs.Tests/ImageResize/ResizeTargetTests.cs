using WorkFleet.Jobs.BuiltIn.ImageResize;

namespace WorkFleet.Jobs.Tests.ImageResize;

/// <summary>The size arithmetic of <c>resize</c>: exact where it fits, an input error where it cannot.</summary>
public class ResizeTargetTests
{
    [Theory]
    [InlineData(640, 480, 256, 341, 256)] // 256 x 640 / 480 = 341.33, truncated
    [InlineData(480, 640, 256, 256, 341)]
    [InlineData(8192, 1, 4096, 33_554_432, 4096)] // the largest the input limits allow: 4096 x 8192
    public void Apply_ShorterSide_ScalesTheLongerSideTruncated(int width, int height, int side, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), new ResizeTarget { ShorterSide = side }.Apply(width, height));
    }

    [Theory]
    [InlineData(16_777_216, 1, 256, "4294967296")] // 2^32: an int would wrap to 0
    [InlineData(1, int.MaxValue, 2, "4294967294")]
    public void Apply_LongerSideBeyondAnInt_ThrowsJobInputExceptionInsteadOfWrapping(int width, int height, int side, string expectedSide)
    {
        var exception = Assert.Throws<JobInputException>(() => new ResizeTarget { ShorterSide = side }.Apply(width, height));

        Assert.StartsWith("preprocess.resize: 'resize' ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expectedSide, exception.Message, StringComparison.Ordinal);
    }
}
