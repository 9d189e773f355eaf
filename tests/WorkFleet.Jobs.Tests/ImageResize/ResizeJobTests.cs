using System.Text.Json;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.ImageResize;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.ImageResize;

/// <summary>
/// The <c>preprocess.resize</c> job against hand-computed values. With <c>mean</c> 0 and <c>std</c> 1 the
/// output is value / 255, so the expectations below are written as pixel values divided by 255.
/// </summary>
public class ResizeJobTests
{
    private const string Identity = "\"mean\":[0,0,0],\"std\":[1,1,1]";

    private readonly IJobHandler _job = TestRegistry.BuiltIn(BuiltInJobTypes.Resize);

    [Fact]
    public async Task Resize_RawPixelsNoResize_ReturnsChwPlanes()
    {
        ResizeOutput output = await Run($$"""{"width":2,"height":2,"pixels":"{{Base64(TestPngs.Pixels)}}",{{Identity}}}""");

        Assert.Equal([3, 2, 2], output.Shape);
        AssertValues([10, 40, 200, 255, 20, 60, 100, 255, 30, 90, 50, 0], output);
    }

    [Fact]
    public async Task Resize_Png_DecodesToSameTensorAsRawPixels()
    {
        ResizeOutput fromPng = await Run($$"""{"png":"{{Convert.ToBase64String(TestPngs.RgbaPaeth)}}",{{Identity}}}""");

        Assert.Equal([3, 2, 2], fromPng.Shape);
        AssertValues([10, 40, 200, 255, 20, 60, 100, 255, 30, 90, 50, 0], fromPng);
    }

    [Fact]
    public async Task Resize_UpscaleTwoToFour_IsClassicBilinearWithHalfPixelCenters()
    {
        // Output x samples input coordinate (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the edges:
        // 0, 0.75·0 + 0.25·100, 0.25·0 + 0.75·100, 100.
        ResizeOutput output = await Run($$"""{"width":2,"height":1,"pixels":"{{Gray(0, 100)}}","resize":[4,1],{{Identity}}}""");

        Assert.Equal([3, 1, 4], output.Shape);
        AssertValues([0, 25, 75, 100], output, channel: 0);
    }

    [Fact]
    public async Task Resize_DownscaleWithoutAntialias_AveragesTheTwoNearestPixels()
    {
        // Output pixel 0 is centered at input 1.0, between pixels 0 and 1: (0 + 40) / 2; pixel 1 at 3.0: (80 + 120) / 2.
        ResizeOutput output = await Run($$"""{"width":4,"height":1,"pixels":"{{Gray(0, 40, 80, 120)}}","resize":[2,1],"antialias":false,{{Identity}}}""");

        AssertValues([20, 100], output, channel: 0);
    }

    [Fact]
    public async Task Resize_DownscaleWithAntialias_UsesTriangleFilterWidenedByTheScale()
    {
        // Scale 2: weights max(0, 1 - |j + 0.5 - c| / 2). Pixel 0 (c = 1): 0.75, 0.75, 0.25 on inputs 0, 1, 2,
        // so (0.75·0 + 0.75·40 + 0.25·80) / 1.75; pixel 1 (c = 3): 0.25, 0.75, 0.75 on inputs 1, 2, 3.
        ResizeOutput output = await Run($$"""{"width":4,"height":1,"pixels":"{{Gray(0, 40, 80, 120)}}","resize":[2,1],{{Identity}}}""");

        AssertValues([50 / 1.75f, 160 / 1.75f], output, channel: 0);
    }

    [Theory]
    [InlineData(4, 2, 1, 2, 1)]
    [InlineData(2, 4, 1, 1, 2)]
    [InlineData(3, 2, 1, 1, 1)]
    [InlineData(5, 3, 2, 3, 2)]
    public async Task Resize_ShorterSide_KeepsAspectRatioTruncated(int width, int height, int side, int expectedWidth, int expectedHeight)
    {
        byte[] pixels = new byte[width * height * 3];

        ResizeOutput output = await Run($$"""{"width":{{width}},"height":{{height}},"pixels":"{{Base64(pixels)}}","resize":{{side}}}""");

        Assert.Equal([3, expectedHeight, expectedWidth], output.Shape);
    }

    [Theory]
    [InlineData(2, new float[] { 40, 80 })]
    [InlineData(1, new float[] { 80 })]
    [InlineData(3, new float[] { 0, 40, 80 })]
    public async Task Resize_CenterCrop_OffsetRoundedHalfToEven(int cropWidth, float[] expected)
    {
        // Left offset (4 - w) / 2: 1, 1.5 -> 2, 0.5 -> 0 (as torchvision's CenterCrop).
        ResizeOutput output = await Run($$"""{"width":4,"height":1,"pixels":"{{Gray(0, 40, 80, 120)}}","crop":[{{cropWidth}},1],{{Identity}}}""");

        Assert.Equal([3, 1, cropWidth], output.Shape);
        AssertValues(expected, output, channel: 0);
    }

    [Fact]
    public async Task Resize_DefaultNormalization_UsesImageNetMeanAndStd()
    {
        ResizeOutput output = await Run($$"""{"width":1,"height":1,"pixels":"{{Base64([255, 0, 128])}}"}""");

        // (1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (128/255 - 0.406) / 0.225.
        Assert.Equal([2.2489083f, -2.0357143f, 0.4264924f], output.Data, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public async Task Resize_Output_UsesDocumentedJsonNames()
    {
        JsonElement output = await _job.ExecuteAsync(
            TestJson.Parse($$"""{"width":1,"height":1,"pixels":"{{Base64([1, 2, 3])}}"}"""), CancellationToken.None);

        Assert.Equal(["shape", "data"], output.EnumerateObject().Select(property => property.Name));
    }

    [Theory]
    [InlineData("""{"width":1,"height":1}""", "give exactly one of 'pixels' (with 'width' and 'height') and 'png'")]
    [InlineData("""{"pixels":"AAAA","png":"AAAA"}""", "give exactly one of 'pixels'")]
    [InlineData("""{"pixels":"AAAA"}""", "'width' and 'height' must be between 1 and 8192 with 'pixels' but are missing and missing")]
    [InlineData("""{"png":"AAAA","width":1}""", "a 'png' carries its own size")]
    [InlineData("""{"width":2,"height":1,"pixels":"AAAA"}""", "'pixels' has 3 bytes but a 2x1 RGB image needs 6")]
    [InlineData("""{"width":1,"height":1,"pixels":"not base64!"}""", "'pixels' is not valid base64")]
    [InlineData("""{"width":1,"height":1,"pixels":"AAAA","resize":0}""", "'resize' must be between 1 and 4096 but is 0")]
    [InlineData("""{"width":1,"height":1,"pixels":"AAAA","resize":[2]}""", "'resize' must be an integer (the shorter side) or [width, height]")]
    [InlineData("""{"width":1,"height":1,"pixels":"AAAA","crop":[2,2]}""", "'crop' [2, 2] is larger than the resized image [1, 1]")]
    [InlineData("""{"width":1,"height":1,"pixels":"AAAA","resize":[2000,10]}""", "the output would be 2000x10 but at most 1024x1024 is allowed")]
    [InlineData("""{"width":1,"height":1,"pixels":"AAAA","mean":[0.5]}""", "'mean' must have 3 values (R, G, B) but has 1")]
    [InlineData("""{"width":1,"height":1,"pixels":"AAAA","std":[1,0,1]}""", "'std[1]' must be a positive number but is 0")]
    [InlineData("""{"png":"AAAA"}""", "'png': not a PNG file")]
    public async Task Resize_InvalidInput_ThrowsJobInputExceptionNamingTheField(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("preprocess.resize: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resize_PngWiderThanTheSideLimit_FailsAsInvalidInputNamingTheWidthAndTheLimit()
    {
        // The case: a valid ~50 KB PNG of 16,777,216 x 1. Shorter side 256 makes the width
        // 256 x 16,777,216 = 2^32, which an int truncates to 0.
        string png = Convert.ToBase64String(TestPngs.Black(16_777_216, 1));

        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse($$"""{"png":"{{png}}","resize":256}"""), CancellationToken.None));

        Assert.Contains("16777216 pixels wide but at most 8192 are allowed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resize_PngTallerThanTheSideLimit_FailsAsInvalidInputNamingTheHeightAndTheLimit()
    {
        string png = Convert.ToBase64String(TestPngs.Black(1, 8193));

        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => _job.ExecuteAsync(TestJson.Parse($$"""{"png":"{{png}}","resize":256,"crop":[1,1]}"""), CancellationToken.None));

        Assert.Contains("8193 pixels tall but at most 8192 are allowed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resize_PngExactlyAtTheSideLimit_Succeeds()
    {
        // 8192 x 1 black pixels, resized to 4 x 1: every value is 0 / 255.
        string png = Convert.ToBase64String(TestPngs.Black(8192, 1));

        ResizeOutput output = await Run($$"""{"png":"{{png}}","resize":[4,1],{{Identity}}}""");

        Assert.Equal([3, 1, 4], output.Shape);
        AssertValues(new float[12], output);
    }

    private async Task<ResizeOutput> Run(string json) =>
        TestJson.Read<ResizeOutput>(await _job.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes);

    /// <summary>One row of gray pixels (R = G = B).</summary>
    private static string Gray(params byte[] values) => Base64([.. values.SelectMany(value => new[] { value, value, value })]);

    private static void AssertValues(float[] expectedPixelValues, ResizeOutput output, int? channel = null)
    {
        int plane = output.Shape[1] * output.Shape[2];
        IEnumerable<float> actual = channel is { } c ? output.Data.Skip(c * plane).Take(plane) : output.Data;
        Assert.Equal(expectedPixelValues.Select(value => value / 255f), actual, (a, b) => Math.Abs(a - b) < 1e-5f);
    }
}
