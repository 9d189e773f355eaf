using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// Input of <c>preprocess.resize</c>: an RGB image to turn into a normalized CHW float tensor.
/// </summary>
/// <remarks>
/// JSON, raw pixels: <c>{"width": 2, "height": 2, "pixels": "base64 of R,G,B bytes, rows top to bottom", "resize": 256, "crop": [224, 224]}</c>;
/// or a PNG: <c>{"png": "base64 of the file", "resize": [32, 32], "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}</c>.
/// <list type="bullet">
/// <item><c>pixels</c> with <c>width</c> and <c>height</c>, or <c>png</c> (non-interlaced, 8-bit RGB or RGBA; alpha
/// is dropped): exactly one of the two. Either way the image is 1 to 8192 pixels per side and at most 16,777,216
/// pixels; a PNG's size is checked on its header, before its pixels are inflated.</item>
/// <item><c>resize</c>: a number, the new length of the shorter side (the other keeps the aspect ratio, truncated),
/// or <c>[width, height]</c>; 1 to 4096; default: keep the size.</item>
/// <item><c>antialias</c>: when shrinking, widen the bilinear filter to the scale factor as Pillow and
/// torchvision (<c>antialias=True</c>) do; <c>false</c> gives plain two-tap bilinear as OpenCV does; default <c>true</c>.</item>
/// <item><c>crop</c>: <c>[width, height]</c> of a center crop of the resized image (offsets rounded half to
/// even, as torchvision's <c>CenterCrop</c>); at most the resized size; default: no crop.</item>
/// <item><c>mean</c> and <c>std</c>: per channel (R, G, B), applied as <c>(value / 255 - mean) / std</c>; default
/// ImageNet's <c>[0.485, 0.456, 0.406]</c> and <c>[0.229, 0.224, 0.225]</c>; std must be positive.</item>
/// </list>
/// The output is at most 1024 × 1024 pixels. The result is a <see cref="ResizeOutput"/>.
/// </remarks>
[Description("An RGB image (raw base64 bytes with width/height, or a base64 PNG) to resize, center-crop and normalize into a CHW float tensor.")]
public sealed record ResizeInput : IValidatableJobInput
{
    /// <summary>Largest width or height of an input image, raw or PNG.</summary>
    public const int MaxInputSide = 8192;

    /// <summary>Most pixels in an input image.</summary>
    public const long MaxInputPixels = 4096L * 4096;

    /// <summary>Largest <c>resize</c> value.</summary>
    public const int MaxResizeSide = 4096;

    /// <summary>Largest width or height of the output tensor.</summary>
    public const int MaxOutputSide = 1024;

    /// <summary>ImageNet's per-channel mean, the default <see cref="Mean"/>.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's per-channel standard deviation, the default <see cref="Std"/>.</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>Width of the raw <see cref="Pixels"/>.</summary>
    [Description("Width of the raw 'pixels', 1 to 8192; only with 'pixels'.")]
    public int? Width { get; init; }

    /// <summary>Height of the raw <see cref="Pixels"/>.</summary>
    [Description("Height of the raw 'pixels', 1 to 8192; only with 'pixels'.")]
    public int? Height { get; init; }

    /// <summary>Base64 of width × height × 3 bytes: R, G, B per pixel, rows top to bottom.</summary>
    [Description("Base64 of width*height*3 bytes: R, G, B per pixel, rows top to bottom. Give this or 'png'.")]
    public string? Pixels { get; init; }

    /// <summary>Base64 of a PNG file (8-bit RGB or RGBA, not interlaced).</summary>
    [Description("Base64 of a PNG file: 8-bit RGB or RGBA (alpha dropped), not interlaced, 1 to 8192 pixels per side. Give this or 'pixels'.")]
    public string? Png { get; init; }

    /// <summary>The new size; <c>null</c> keeps the image's size.</summary>
    [Description("New size: a number (the shorter side; the other keeps the aspect ratio) or [width, height]; 1 to 4096. Default: keep the size.")]
    public ResizeTarget? Resize { get; init; }

    /// <summary>Whether shrinking widens the filter (Pillow/torchvision) instead of plain two-tap bilinear (OpenCV); default <c>true</c>.</summary>
    [Description("When shrinking, widen the bilinear filter by the scale factor (Pillow, torchvision antialias=True); false = plain two-tap bilinear (OpenCV).")]
    [DefaultValue(true)]
    public bool Antialias { get; init; } = true;

    /// <summary><c>[width, height]</c> of a center crop of the resized image; <c>null</c> for none.</summary>
    [Description("[width, height] of a center crop of the resized image, at most its size; the output is at most 1024x1024. Default: no crop.")]
    public IReadOnlyList<int>? Crop { get; init; }

    /// <summary>Per-channel means (R, G, B) on the 0-1 scale; default <see cref="ImageNetMean"/>.</summary>
    [Description("Per-channel (R, G, B) mean subtracted from value/255.")]
    [DefaultValue(new[] { 0.485f, 0.456f, 0.406f })]
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviations (R, G, B) on the 0-1 scale; default <see cref="ImageNetStd"/>.</summary>
    [Description("Per-channel (R, G, B) standard deviation the centered value is divided by; positive.")]
    [DefaultValue(new[] { 0.229f, 0.224f, 0.225f })]
    public IReadOnlyList<float>? Std { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if ((Pixels is null) == (Png is null))
        {
            yield return "give exactly one of 'pixels' (with 'width' and 'height') and 'png'";
        }
        else if (Png is not null && (Width is not null || Height is not null))
        {
            yield return "'width' and 'height' describe raw 'pixels'; a 'png' carries its own size";
        }
        else if (Pixels is not null)
        {
            if (Width is not (>= 1 and <= MaxInputSide) || Height is not (>= 1 and <= MaxInputSide))
            {
                yield return $"'width' and 'height' must be between 1 and {MaxInputSide} with 'pixels' but are {Describe(Width)} and {Describe(Height)}";
            }
            else if ((long)Width.Value * Height.Value > MaxInputPixels)
            {
                yield return $"the image has {(long)Width.Value * Height.Value} pixels but at most {MaxInputPixels} are allowed";
            }
        }

        foreach ((string name, int value) in Resize?.Values() ?? [])
        {
            if (value is < 1 or > MaxResizeSide)
            {
                yield return $"'{name}' must be between 1 and {MaxResizeSide} but is {value}";
            }
        }

        if (Crop is not null && (Crop.Count != 2 || Crop.Any(side => side is < 1 or > MaxOutputSide)))
        {
            yield return $"'crop' must be [width, height] with each between 1 and {MaxOutputSide} but is [{string.Join(", ", Crop)}]";
        }

        foreach (string error in ValidateChannels("mean", Mean, positive: false).Concat(ValidateChannels("std", Std, positive: true)))
        {
            yield return error;
        }
    }

    private static string Describe(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing";

    private static IEnumerable<string> ValidateChannels(string name, IReadOnlyList<float>? values, bool positive)
    {
        if (values is null)
        {
            yield break;
        }

        if (values.Count != 3)
        {
            yield return $"'{name}' must have 3 values (R, G, B) but has {values.Count}";
            yield break;
        }

        for (int c = 0; c < 3; c++)
        {
            if (!float.IsFinite(values[c]) || (positive && values[c] <= 0))
            {
                yield return $"'{name}[{c}]' must be a {(positive ? "positive" : "finite")} number but is {values[c]}";
            }
        }
    }
}
