using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// The <c>preprocess.resize</c> job: decodes raw RGB bytes or a PNG, resizes with bilinear filtering, center-crops,
/// normalizes per channel and lays the result out as CHW. Runs synchronously on the calling thread.
/// </summary>
[Description("Image to model input: decode (raw RGB or PNG), bilinear resize, center crop, per-channel normalize, CHW float tensor.")]
public sealed class ResizeJobHandler : IJobHandler<ResizeInput, ResizeOutput>
{
    /// <inheritdoc />
    /// <remarks>Expects input that passed <see cref="ResizeInput.Validate"/>, as the registry ensures.</remarks>
    public Task<ResizeOutput> HandleAsync(ResizeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        RgbImage image = Decode(input);
        cancellationToken.ThrowIfCancellationRequested();

        (int width, int height) = input.Resize?.Apply(image.Width, image.Height) ?? (image.Width, image.Height);
        (int cropWidth, int cropHeight) = input.Crop is { } crop ? (crop[0], crop[1]) : (width, height);
        if (cropWidth > width || cropHeight > height)
        {
            throw Invalid($"'crop' [{cropWidth}, {cropHeight}] is larger than the resized image [{width}, {height}]");
        }

        if (cropWidth > ResizeInput.MaxOutputSide || cropHeight > ResizeInput.MaxOutputSide)
        {
            throw Invalid($"the output would be {cropWidth}x{cropHeight} but at most {ResizeInput.MaxOutputSide}x{ResizeInput.MaxOutputSide} is allowed; resize smaller or crop");
        }

        int left = (int)Math.Round((width - cropWidth) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((height - cropHeight) / 2.0, MidpointRounding.ToEven);
        float[] window = BilinearResizer.Resize(image, width, height, input.Antialias, left, top, cropWidth, cropHeight);
        cancellationToken.ThrowIfCancellationRequested();

        IReadOnlyList<float> mean = input.Mean ?? ResizeInput.ImageNetMean;
        IReadOnlyList<float> std = input.Std ?? ResizeInput.ImageNetStd;
        int plane = cropWidth * cropHeight;
        var data = new float[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            // (v / 255 - mean) / std as one multiply-add per value.
            float scale = 1f / (255f * std[c]);
            float offset = -mean[c] / std[c];
            for (int p = 0; p < plane; p++)
            {
                data[(c * plane) + p] = (window[(p * 3) + c] * scale) + offset;
            }
        }

        return Task.FromResult(new ResizeOutput { Shape = [3, cropHeight, cropWidth], Data = data });
    }

    private static RgbImage Decode(ResizeInput input)
    {
        if (input.Png is not null)
        {
            byte[] png = FromBase64("png", input.Png);
            try
            {
                return PngDecoder.Decode(png, ResizeInput.MaxInputSide, ResizeInput.MaxInputPixels);
            }
            catch (InvalidDataException exception)
            {
                throw new JobInputException($"{BuiltInJobTypes.Resize}: 'png': {exception.Message}", exception);
            }
        }

        int width = input.Width!.Value;
        int height = input.Height!.Value;
        byte[] pixels = FromBase64("pixels", input.Pixels!);
        long expected = 3L * width * height;
        return pixels.Length == expected
            ? new RgbImage(width, height, pixels)
            : throw Invalid($"'pixels' has {pixels.Length} bytes but a {width}x{height} RGB image needs {expected}");
    }

    private static byte[] FromBase64(string field, string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException exception)
        {
            throw new JobInputException($"{BuiltInJobTypes.Resize}: '{field}' is not valid base64", exception);
        }
    }

    private static JobInputException Invalid(string problem) => new($"{BuiltInJobTypes.Resize}: {problem}");
}
