namespace WorkFleet.Jobs.BuiltIn.ImageResize;

/// <summary>
/// The weights of bilinear (triangle-filter) resampling along one axis, with pixel centers at i + 0.5
/// (PyTorch's <c>align_corners=False</c>) and edge pixels repeated. Output pixel i is centered at input
/// coordinate c = (i + 0.5) · in / out, and input pixel j gets weight max(0, 1 - |j + 0.5 - c| / s), normalized
/// to sum 1, where s = 1, or s = in / out when antialiasing a downscale (Pillow's BILINEAR). For upscaling both
/// are classic two-tap bilinear interpolation.
/// </summary>
/// <param name="Start">The first input pixel with a weight.</param>
/// <param name="Weights">The weights of input pixels Start, Start + 1, ...</param>
internal sealed record ResamplingWeights(int Start, float[] Weights)
{
    /// <summary>The weights of output pixels <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    public static ResamplingWeights[] Compute(int inputSize, int outputSize, bool antialias, int first, int count)
    {
        double scale = (double)inputSize / outputSize;
        double support = antialias && scale > 1 ? scale : 1;
        var result = new ResamplingWeights[count];
        for (int i = 0; i < count; i++)
        {
            double center = (first + i + 0.5) * scale;
            int start = Math.Max(0, (int)Math.Floor(center - support - 0.5));
            int end = Math.Min(inputSize - 1, (int)Math.Ceiling(center + support - 0.5));
            var weights = new double[end - start + 1];
            double sum = 0;
            for (int j = start; j <= end; j++)
            {
                double weight = Math.Max(0, 1 - (Math.Abs(j + 0.5 - center) / support));
                weights[j - start] = weight;
                sum += weight;
            }

            result[i] = new ResamplingWeights(start, [.. weights.Select(weight => (float)(weight / sum))]);
        }

        return result;
    }
}
