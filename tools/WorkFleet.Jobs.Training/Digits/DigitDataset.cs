using System.Globalization;
using System.Text;
using WorkFleet.Jobs.Training.Training;

namespace WorkFleet.Jobs.Training.Digits;

/// <summary>
/// A digits split as stored in the repository: a CSV with the header <c>label,pixels</c>, one sample per line,
/// <c>pixels</c> being 64 hexadecimal digits (intensity 0 to 15 each, row by row of the 8x8 glyph).
/// </summary>
/// <param name="Labels">The digit of each sample.</param>
/// <param name="Pixels">64 intensities per sample, sample after sample.</param>
internal sealed record DigitDataset(int[] Labels, byte[] Pixels)
{
    public const int Features = GlyphRenderer.Side * GlyphRenderer.Side;

    public int Count => Labels.Length;

    /// <summary>Renders <paramref name="perDigit"/> samples of each digit, in a shuffled order, from <paramref name="seed"/>.</summary>
    public static DigitDataset Generate(int perDigit, ulong seed)
    {
        var random = new SplitMix64(seed);
        int[] order = [.. Enumerable.Range(0, 10 * perDigit)];
        random.Shuffle(order);
        var labels = new int[order.Length];
        var pixels = new byte[order.Length * Features];
        for (int i = 0; i < order.Length; i++)
        {
            labels[i] = order[i] % 10;
            GlyphRenderer.Render(labels[i], random).CopyTo(pixels, i * Features);
        }

        return new DigitDataset(labels, pixels);
    }

    public static DigitDataset Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != "label,pixels")
        {
            throw new InvalidDataException($"{path}: the first line must be 'label,pixels'.");
        }

        var labels = new int[lines.Length - 1];
        var pixels = new byte[labels.Length * Features];
        for (int i = 0; i < labels.Length; i++)
        {
            string[] fields = lines[i + 1].Split(',');
            if (fields.Length != 2 || fields[1].Length != Features || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out labels[i]))
            {
                throw new InvalidDataException($"{path}:{i + 2}: expected 'digit,<64 hex digits>'.");
            }

            for (int j = 0; j < Features; j++)
            {
                pixels[(i * Features) + j] = byte.Parse(fields[1].AsSpan(j, 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return new DigitDataset(labels, pixels);
    }

    public void Write(string path)
    {
        var text = new StringBuilder("label,pixels\n");
        for (int i = 0; i < Count; i++)
        {
            text.Append(Labels[i].ToString(CultureInfo.InvariantCulture)).Append(',');
            for (int j = 0; j < Features; j++)
            {
                text.Append("0123456789abcdef"[Pixels[(i * Features) + j]]);
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>The features of all samples as floats scaled to [0, 1].</summary>
    public float[] ScaledFeatures() => [.. Pixels.Select(value => value / (float)GlyphRenderer.Levels)];
}
