using System.Numerics.Tensors;

namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// Separable bilinear resizing (<see cref="ResamplingWeights"/>) of an 8-bit RGB image, computing only a
/// window of the resized image so that a center crop costs no more than its own pixels.
/// </summary>
internal static class BilinearResizer
{
    /// <summary>
    /// Resizes <paramref name="image"/> to <paramref name="width"/> × <paramref name="height"/> and returns the window
    /// at (<paramref name="left"/>, <paramref name="top"/>) of <paramref name="windowWidth"/> × <paramref name="windowHeight"/>
    /// pixels, as RGB-interleaved floats in [0, 255], row-major.
    /// </summary>
    public static float[] Resize(RgbImage image, int width, int height, bool antialias, int left, int top, int windowWidth, int windowHeight)
    {
        ResamplingWeights[] columns = ResamplingWeights.Compute(image.Width, width, antialias, left, windowWidth);
        ResamplingWeights[] rows = ResamplingWeights.Compute(image.Height, height, antialias, top, windowHeight);
        int firstRow = rows.Min(row => row.Start);
        int lastRow = rows.Max(row => row.Start + row.Weights.Length - 1);

        // Horizontal pass over the input rows the window needs, then the vertical pass.
        int rowLength = windowWidth * 3;
        var horizontal = new float[(lastRow - firstRow + 1) * rowLength];
        for (int y = firstRow; y <= lastRow; y++)
        {
            int source = y * image.Width * 3;
            int target = (y - firstRow) * rowLength;
            for (int x = 0; x < windowWidth; x++)
            {
                ResamplingWeights column = columns[x];
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < column.Weights.Length; k++)
                {
                    int pixel = source + ((column.Start + k) * 3);
                    float weight = column.Weights[k];
                    r += weight * image.Pixels[pixel];
                    g += weight * image.Pixels[pixel + 1];
                    b += weight * image.Pixels[pixel + 2];
                }

                horizontal[target + (x * 3)] = r;
                horizontal[target + (x * 3) + 1] = g;
                horizontal[target + (x * 3) + 2] = b;
            }
        }

        var window = new float[windowHeight * rowLength];
        for (int y = 0; y < windowHeight; y++)
        {
            ResamplingWeights row = rows[y];
            Span<float> target = window.AsSpan(y * rowLength, rowLength);
            for (int k = 0; k < row.Weights.Length; k++)
            {
                ReadOnlySpan<float> source = horizontal.AsSpan((row.Start + k - firstRow) * rowLength, rowLength);
                TensorPrimitives.MultiplyAdd(source, row.Weights[k], target, target);
            }
        }

        return window;
    }
}
